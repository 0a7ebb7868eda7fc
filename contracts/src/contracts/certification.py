"""Events published by certification: verified overrides that may open the OTP gate."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

from contracts.envelope import Envelope

Covers = Literal["non_contractual_head", "mobile_changed", "family_id_incorrect"]


class CertifiedPeriod(BaseModel):
    """A stretch of contractual service the office certified (its "complete service details")."""

    model_config = ConfigDict(frozen=True)

    start: date
    end: date | None = Field(default=None, description="Inclusive; None while still serving")
    post: str | None = None


class CertificationTookEffect(Envelope):
    """Published once HRD advice is recorded on a department's certification.

    Keyed by employee id; `source_version` counts the certification's transitions,
    so a revocation (higher version) always wins over the effect it revokes.
    """

    event_type: Literal["CertificationTookEffect"] = "CertificationTookEffect"
    schema_version: Literal[1] = 1
    certification_id: str = Field(description="Stable; consumers deduplicate on it")
    employee_id: str
    office_code: str = Field(description="Office (DDO) that certified")
    letter_number: str
    letter_date: date
    certified_by_role: Literal["administrative_secretary", "hod", "ddo"]
    hrd_advice_number: str
    hrd_advice_date: date
    covers: tuple[Covers, ...] = Field(description="Which OTP blocks the certification lifts")
    corrected_mobile: str | None = Field(default=None, description="10 digits, if certified")
    corrected_family_id: str | None = None
    effective_at: AwareDatetime
    service_periods: tuple[CertifiedPeriod, ...] = Field(
        default=(),
        description="Service periods the office certified; the OTP service counts them as "
        "service for the years the source data does not cover",
    )
    head_of_account_used: str | None = Field(
        default=None, description="Head/object code the pay was actually drawn from"
    )


class CertificationRevoked(Envelope):
    """An effective certification withdrawn by its office or by HRD."""

    event_type: Literal["CertificationRevoked"] = "CertificationRevoked"
    schema_version: Literal[1] = 1
    certification_id: str
    employee_id: str
    reason: str
    revoked_by_role: Literal["administrative_secretary", "hod", "ddo", "hrd"]
    revoked_at: AwareDatetime


CertificationEvent = Annotated[
    CertificationTookEffect | CertificationRevoked, Field(discriminator="event_type")
]
certification_event: TypeAdapter[CertificationTookEffect | CertificationRevoked] = TypeAdapter(
    CertificationEvent
)
