"""What an upload and the completeness check report back (stored, served, printed)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

UploadSource = Literal["hkrnl", "ebilling", "master"]


class BatchReport(BaseModel):
    """The end of every upload or push. Invariant: received == accepted + rejected.

    `received`, `accepted` and `rejected` count source rows (an e-Billing payment line, an
    HKRNL record, a master-data row); `records` counts what was derived from the accepted
    rows (employees or master entities), split into `published`, `unchanged` (same content
    as already published) and `stale` (an equal or newer version is already held).
    """

    model_config = ConfigDict(frozen=True)

    batch_id: str
    source: UploadSource
    file_name: str | None = None
    columns: dict[str, str] = Field(
        default_factory=dict, description="Each column as the file names it -> the field read"
    )
    unrecognised_columns: list[str] = Field(
        default_factory=list, description="Columns (or JSON keys) that name no field: ignored"
    )
    missing_columns: list[str] = Field(
        default_factory=list,
        description="Optional fields no column names (a required one refuses the file: 422)",
    )
    as_of: datetime = Field(description="As-of time of the data; its ms are the source version")
    received: int
    accepted: int
    rejected: int
    records: int = Field(description="Employees or master entities derived from accepted rows")
    published: int
    unchanged: int
    stale: int
    relinked: int = Field(default=0, description="Earlier records republished with a new link")
    dropped_columns: list[str] = Field(description="Columns dropped as Aadhaar-like, never kept")
    aadhaar_redacted: dict[str, int] = Field(
        default_factory=dict,
        description="Aadhaar-like numbers removed from the text of received rows, per field",
    )
    started_at: datetime
    finished_at: datetime
    rejections_url: str
    failure: str | None = Field(
        default=None,
        description="Why the batch stopped before its end (Kafka or MongoDB failed); the "
        "counts are of the rows read until then",
    )


class Rejected(BaseModel):
    """One quarantined row: where it was, what is wrong, and the row as received
    (Aadhaar-like values removed)."""

    batch_id: str
    source: UploadSource
    row_number: int
    field: str
    reason: str
    employee_ref: str | None = None
    raw: dict[str, str]
    aadhaar_redacted: dict[str, int] = Field(
        default_factory=dict, description="Aadhaar-like numbers removed from this row, per field"
    )


class CodeGap(BaseModel):
    """A code employee records use that the portal's drop-downs (master data) lack."""

    source: Literal["hkrnl", "ebilling"]
    entity_type: Literal["department", "office", "post", "ddo", "head"] = Field(
        description="`head`: a head of account e-Billing pay came from that master data "
        "does not classify as state or centrally sponsored"
    )
    code: str
    employees: int = Field(description="How many employee records use the code")


class CompletenessReport(BaseModel):
    """Every department, office, post or DDO code in use but missing from master data, and
    every head of account in use that master data does not classify."""

    generated_at: datetime
    master_entities: int
    gaps: list[CodeGap]
