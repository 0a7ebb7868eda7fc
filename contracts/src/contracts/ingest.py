"""Events published by ingest: employee records (Part-I and Part-II) and master data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.envelope import Envelope

Source = Literal["hkrnl", "ebilling"]
EntityType = Literal["department", "office", "post", "ddo", "head"]
Funding = Literal["state", "centrally_sponsored"]
Employment = Literal["full_time", "part_time"]


class ServicePeriod(BaseModel):
    """A stretch of paid contractual service (an HKRNL deployment, or an e-Billing month)."""

    model_config = ConfigDict(frozen=True)

    start: date
    end: date = Field(description="Inclusive")
    days_paid: int = Field(ge=0, description="Days for which remuneration was paid")
    department_code: str | None = None
    object_code: str | None = Field(
        default=None, description="e-Billing object code the pay was drawn from (69, 01, 33, ...)"
    )


class FieldIssue(BaseModel):
    """A defect in a source field that does not reject the record but may close the OTP gate."""

    model_config = ConfigDict(frozen=True)

    field: str
    reason: str


class EmployeeRecordReceived(Envelope):
    """One employee as a source system knows them, normalised and validated.

    Keyed by `employee_id`, stable per source (`hkrnl:<id>` or `ebilling:<code>`).
    `source_version` is the as-of time of the file or push (ms since epoch): an older
    file never overwrites a newer one. Aadhaar numbers are never carried.
    `mobile` and `family_id` are None when the source value was missing or malformed;
    the defect is then listed in `issues` so the OTP gate can explain itself.
    """

    event_type: Literal["EmployeeRecordReceived"] = "EmployeeRecordReceived"
    schema_version: Literal[1] = 1
    employee_id: str = Field(description="Stable id: '<source>:<source employee id>'")
    source: Source
    part: Literal["I", "II"] = Field(description="Part-I: HKRNL; Part-II: direct contract")
    batch_id: str = Field(description="Upload or push that carried the record")
    row_number: int | None = Field(default=None, description="Row in the source file, if any")
    name: str = Field(description="Unicode NFC, Hindi or English")
    date_of_birth: date | None = None
    date_of_joining: date | None = None
    mobile: str | None = Field(default=None, description="10 digits, starting 6-9")
    family_id: str | None = Field(default=None, description="PPP Family ID, 8 or 9 characters")
    department_code: str | None = None
    office_code: str | None = Field(default=None, description="District office")
    post_code: str | None = None
    ddo_code: str | None = None
    district: str | None = None
    treasury: str | None = None
    monthly_remuneration: int | None = Field(
        default=None,
        ge=0,
        description="Rupees, latest month, in whole rupees rounded up (50,000.50 is 50,001)",
    )
    monthly_remuneration_exact: Decimal | None = Field(
        default=None,
        ge=0,
        description="Rupees and paise, latest month, exact (never rounded); "
        "the rules read it before monthly_remuneration",
    )
    employment: Literal["full_time", "part_time"] = "full_time"
    scheme: Literal["state", "centrally_sponsored"] = "state"
    service_periods: tuple[ServicePeriod, ...] = ()
    object_codes: tuple[str, ...] = Field(
        default=(), description="Object codes pay was drawn from (e-Billing); empty for HKRNL"
    )
    heads_of_account: tuple[str, ...] = Field(
        default=(),
        description="e-Billing: the heads of account (scheme heads, without the object code) "
        "the latest month's pay was drawn from; empty for HKRNL",
    )
    linked_employee_ids: tuple[str, ...] = Field(
        default=(), description="The same person in the other source"
    )
    issues: tuple[FieldIssue, ...] = ()


class MasterDataChanged(Envelope):
    """A department, district office, post or DDO of the portal's drop-downs, or a head
    of account (scheme head) with how it is funded."""

    event_type: Literal["MasterDataChanged"] = "MasterDataChanged"
    schema_version: Literal[1] = 1
    entity_type: EntityType
    code: str
    name: str
    parent_type: EntityType | None = None
    parent_code: str | None = None
    active: bool = True
    funding: Funding | None = Field(
        default=None, description="Heads: state or centrally sponsored scheme; None: unclassified"
    )
    employment: Employment | None = Field(
        default=None, description="Posts: full-time or part-time; None: not stated"
    )
