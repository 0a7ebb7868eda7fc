"""Events published by notify."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import Envelope

SmsState = Literal["sent", "delivered", "failed", "skipped_expired"]


class SmsStatusReported(Envelope):
    """What happened to one SMS of a challenge. Keyed by challenge id."""

    event_type: Literal["SmsStatusReported"] = "SmsStatusReported"
    schema_version: Literal[1] = 1
    challenge_id: str
    send_number: int = Field(ge=1)
    state: SmsState
    reason: str | None = Field(default=None, description="Why it failed, for operators")
    gateway_message_id: str | None = None
    at: AwareDatetime
