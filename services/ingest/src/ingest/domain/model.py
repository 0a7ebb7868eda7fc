"""What the parsers produce: employee drafts, master entities, rejections, counts.

Pure data; no I/O. A draft is everything `EmployeeRecordReceived` carries except the
envelope, the batch, and the cross-source links that the ingest use cases add.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.ingest import EntityType, FieldIssue, ServicePeriod, Source

__all__ = [
    "EmployeeDraft",
    "FieldIssue",
    "MasterEntity",
    "ParseStats",
    "Rejection",
    "ServicePeriod",
]


@dataclass(frozen=True)
class Rejection:
    """A source row that could not become a record, with a reason a clerk can act on.

    `row_number` is the 1-based data row (the header is not counted; for JSON, index + 1).
    `raw` is the row as read, with Aadhaar-like columns already removed and Aadhaar-like
    numbers redacted; `aadhaar_redacted` counts those per field.
    """

    row_number: int
    field: str
    reason: str
    employee_ref: str | None
    raw: dict[str, str]
    aadhaar_redacted: dict[str, int] = dataclasses.field(default_factory=dict)


class EmployeeDraft(BaseModel):
    """One employee as one source knows them, validated and normalised."""

    model_config = ConfigDict(frozen=True)

    source_employee_id: str = Field(description="HKRNL id or e-Billing employee code")
    source: Source
    part: Literal["I", "II"]
    name: str
    date_of_birth: date | None = None
    date_of_joining: date | None = None
    mobile: str | None = None
    family_id: str | None = None
    department_code: str | None = None
    office_code: str | None = None
    post_code: str | None = None
    ddo_code: str | None = None
    district: str | None = None
    treasury: str | None = None
    monthly_remuneration: int | None = Field(default=None, ge=0)
    monthly_remuneration_exact: Decimal | None = Field(default=None, ge=0)
    employment: Literal["full_time", "part_time"] = "full_time"
    scheme: Literal["state", "centrally_sponsored"] = "state"
    service_periods: tuple[ServicePeriod, ...] = ()
    object_codes: tuple[str, ...] = ()
    heads_of_account: tuple[str, ...] = ()
    issues: tuple[FieldIssue, ...] = ()
    row_number: int | None = None

    def employee_id(self) -> str:
        """The stable id downstream services key on: '<source>:<source employee id>'."""
        return f"{self.source}:{self.source_employee_id}"


class MasterEntity(BaseModel):
    """A department, district office, post or DDO of the portal's drop-downs."""

    model_config = ConfigDict(frozen=True)

    entity_type: EntityType
    code: str
    name: str
    parent_type: EntityType | None = None
    parent_code: str | None = None
    active: bool = True
    funding: Literal["state", "centrally_sponsored"] | None = None
    employment: Literal["full_time", "part_time"] | None = None
    row_number: int


@dataclass
class ParseStats:
    """Counts of one parse. After the generator is exhausted:
    received == accepted + rejected (rows; for e-Billing, payment lines)."""

    received: int = 0
    accepted: int = 0
    rejected: int = 0
    source: str | None = None  # whose column names the CSV header is read with
    columns: dict[str, str] = field(default_factory=dict)  # column as written -> field
    unrecognised_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)  # optional fields not found
    dropped_columns: list[str] = field(default_factory=list)
    employees: int = 0
    aadhaar_redacted: dict[str, int] = field(default_factory=dict)
