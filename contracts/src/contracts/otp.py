"""Events published by the OTP service."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import Envelope


class SmsRequested(Envelope):
    """Ask notify to send an OTP. Keyed by challenge id.

    The code is sealed for notify alone (Fernet, key shared by otp and notify): the
    Kafka log never holds a readable OTP. A resend carries the same challenge id with a
    higher `source_version`; notify sends at most once per (challenge, send number).
    """

    event_type: Literal["SmsRequested"] = "SmsRequested"
    schema_version: Literal[1] = 1
    challenge_id: str
    send_number: int = Field(ge=1, description="1 for the first send, 2 for a resend, ...")
    mobile: str = Field(description="Destination, 10 digits")
    sealed_code: str = Field(description="Fernet token holding the OTP; only notify can open it")
    locale: Literal["en", "hi"] = "en"
    expires_at: AwareDatetime = Field(description="Never send after this instant")


class EligibilityChanged(Envelope):
    """The OTP gate or the provisional eligibility of one employee changed."""

    event_type: Literal["EligibilityChanged"] = "EligibilityChanged"
    schema_version: Literal[1] = 1
    employee_id: str
    gate_open: bool
    gate_reasons: tuple[str, ...] = Field(description="Reason codes; empty when open")
    eligibility: Literal["eligible", "not_eligible", "undetermined"]
    eligibility_reasons: tuple[str, ...] = ()
    qualifying_years: int | None = None
    additional_remuneration_percent: int | None = None
    rule_set_version: str
