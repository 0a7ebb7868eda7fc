"""What the certification service reads of an employee record: where the employee is
placed. The rest of an `EmployeeRecordReceived` (a year of service periods, pay, issues)
is not decoded: validating the whole record was half of this service's CPU per
employee during an e-Billing upload, for fields it never keeps."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from contracts.envelope import Envelope
from contracts.ingest import EmployeeRecordReceived, Source


class PlacedRecord(Envelope):
    """The placement fields of an `EmployeeRecordReceived`, typed as the contract types
    them (its envelope too: a record without a version still goes to the DLQ); every
    other field of the record is ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: Literal["EmployeeRecordReceived"] = "EmployeeRecordReceived"
    schema_version: Literal[1] = 1
    employee_id: str = Field(description="Stable id: '<source>:<source employee id>'")
    source: Source
    mobile: str | None = None
    department_code: str | None = None
    office_code: str | None = None
    ddo_code: str | None = None


Placeable = EmployeeRecordReceived | PlacedRecord
