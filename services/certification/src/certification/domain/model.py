"""A department's certification (seed 000) and the submission that creates it.

The three attestations of HRD's letter of 13 Feb 2026 must all be given; corrected
contact data is validated here so nothing malformed is ever stored or published. No
field can carry an Aadhaar number: unknown fields are refused.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from contracts.certification import Covers

State = Literal["submitted", "hrd_advised", "effective", "rejected", "revoked"]
OfficerRole = Literal["administrative_secretary", "hod", "ddo"]
Role = Literal["administrative_secretary", "hod", "ddo", "hrd"]
STATES: tuple[State, ...] = ("submitted", "hrd_advised", "effective", "rejected", "revoked")

MOBILE = re.compile(r"^[6-9]\d{9}$")
FAMILY_ID = re.compile(r"^[0-9A-Z]{8,9}$")


class Attestations(BaseModel):
    """The three statements of seed 000, para II; each must be true."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    genuine_contractual_employee: bool = Field(
        description="A genuine contractual employee of this office, with complete service details"
    )
    engaged_in_contractual_mode: bool = Field(description="Appointed/engaged in contractual mode")
    paid_under_non_contractual_head_with_undertaking: bool = Field(
        description="Paid under a non-contractual head; will be paid from the contractual "
        "head in future (the office's undertaking)"
    )


class ServicePeriod(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: date = Field(alias="from")
    end: date | None = Field(default=None, alias="to", description="None while still serving")
    post: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ServicePeriod:
        if self.end is not None and self.end < self.start:
            raise ValueError("service period ends ('to') before it starts ('from')")
        return self


class ServiceDetails(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    periods: tuple[ServicePeriod, ...] = Field(min_length=1)
    head_of_account_used: str = Field(
        min_length=1, description="Head/object code actually used, e.g. '87 - Honorarium'"
    )


class Submission(BaseModel):
    """What an officer certifies for one employee of one office."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    employee_id: str = Field(min_length=1, max_length=64)
    office_code: str = Field(min_length=1, max_length=64, description="Office (DDO) code")
    letter_number: str = Field(min_length=1, max_length=200)
    letter_date: date
    officer_name: str = Field(min_length=1, max_length=200)
    officer_role: OfficerRole
    attestations: Attestations
    service_details: ServiceDetails
    covers: tuple[Covers, ...] = Field(min_length=1, description="Which OTP blocks it lifts")
    corrected_mobile: str | None = Field(default=None, description="10 digits starting 6-9")
    corrected_family_id: str | None = Field(default=None, description="8-9 letters/digits")

    @field_validator("corrected_mobile")
    @classmethod
    def _mobile(cls, value: str | None) -> str | None:
        if value is not None and not MOBILE.match(value):
            raise ValueError("must be 10 digits starting with 6, 7, 8 or 9")
        return value

    @field_validator("corrected_family_id")
    @classmethod
    def _family_id(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.upper()
        if not FAMILY_ID.match(value):
            raise ValueError("must be 8 or 9 letters and digits (Parivar Pehchan Patra)")
        return value

    @field_validator("covers")
    @classmethod
    def _distinct(cls, value: tuple[Covers, ...]) -> tuple[Covers, ...]:
        return tuple(dict.fromkeys(value))

    @model_validator(mode="after")
    def _consistent(self) -> Submission:
        missing = [name for name, given in self.attestations if not given]
        if missing:
            raise ValueError(f"every attestation must be true; not given: {', '.join(missing)}")
        if "mobile_changed" in self.covers and self.corrected_mobile is None:
            raise ValueError("corrected_mobile is required when covers has mobile_changed")
        if "family_id_incorrect" in self.covers and self.corrected_family_id is None:
            raise ValueError("corrected_family_id is required when covers has family_id_incorrect")
        return self


def example_submission(employee_id: str, office_code: str, **fields: Any) -> dict[str, Any]:
    """A complete, valid Submission as an office sends it (JSON-ready): a person paid
    from a non-contractual head since 2015. The API's documented example, and what the
    demo, the benchmark and the tests submit; `fields` replace any of its values."""
    values: dict[str, Any] = {
        "employee_id": employee_id,
        "office_code": office_code,
        "letter_number": f"No. 6/74/2026-HR/{employee_id}",
        "letter_date": "2026-02-20",
        "officer_name": "S. K. Sharma",
        "officer_role": "ddo",
        "attestations": {
            "genuine_contractual_employee": True,
            "engaged_in_contractual_mode": True,
            "paid_under_non_contractual_head_with_undertaking": True,
        },
        "service_details": {
            "periods": [{"from": "2015-04-01", "to": None, "post": "Data Entry Operator"}],
            "head_of_account_used": "87 - Honorarium",
        },
        "covers": ["non_contractual_head"],
    }
    values.update(fields)
    return values


class Letter(BaseModel):
    """The scanned letter, stored apart (GridFS) and identified by its digest."""

    model_config = ConfigDict(frozen=True)

    file_id: str
    filename: str
    sha256: str
    size: int


class Step(BaseModel):
    """One transition, kept so every state the certification passed through stays visible."""

    model_config = ConfigDict(frozen=True)

    state: State
    version: int
    at: datetime
    by: str
    role: Role


class Placement(BaseModel):
    """Where the source data (HKRNL, e-Billing) puts an employee, as this service last heard.

    `office_code` is the employee's office for scope: the DDO code, else the district
    office. Only a masked mobile is kept."""

    model_config = ConfigDict(frozen=True)
    employee_id: str
    source: str
    office_code: str | None = Field(description="DDO code, else the district office code")
    ddo_code: str | None = None
    district_office_code: str | None = None
    department_code: str | None = None
    mobile_masked: str | None = Field(default=None, description="The mobile in the data, masked")
    source_version: int = Field(description="As-of time of the record (ms since epoch)")

    def offices(self) -> set[str]:
        """Every code an officer's offices may match: the DDO and the district office."""
        return {c for c in (self.ddo_code, self.district_office_code) if c}


class Certification(BaseModel):
    """State and version of one certification; `version` grows by one per transition."""

    model_config = ConfigDict(frozen=True)

    id: str
    submission: Submission
    letter: Letter | None = None
    state: State
    version: int = Field(ge=1)
    submitted_by: str
    submitted_at: datetime
    hrd_advice_number: str | None = None
    hrd_advice_date: date | None = None
    effective_at: datetime | None = None
    rejection_reason: str | None = None
    revocation_reason: str | None = None
    revoked_by_role: Role | None = None
    revoked_at: datetime | None = None
    history: tuple[Step, ...] = ()
    published_version: int = Field(
        default=0, description="Newest version whose event reached Kafka (outbox mark)"
    )
    placement: Placement | None = Field(
        default=None,
        description="Where the source data placed the employee when the certification was "
        "submitted (next to submission.office_code, the office that certified)",
    )
