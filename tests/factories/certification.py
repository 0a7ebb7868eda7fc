"""Submissions, officers' tokens, source records and settings for certification tests.

Tokens come from the real identity provider (tests/officers.py). A submission's employee
is put in the source data (in `office`) unless `in_data=False`: the records wait in
`PENDING` until the test's certification app takes them (tests/integration/certification/
conftest.py hands them to the service's directory before each request)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from certification.domain.model import example_submission
from certification.settings import CertificationSettings
from contracts.ingest import EmployeeRecordReceived
from tests import officers
from tests.factories import unique
from tests.factories.otp import person

PENDING: dict[str, EmployeeRecordReceived] = {}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def submission(office: str, **overrides: Any) -> dict[str, Any]:
    """A complete, valid submission for a new employee of `office`, lifting a
    non-contractual head and correcting the mobile."""
    values: dict[str, Any] = {
        "letter_number": unique("No. 6/74/2026-HR"),
        "covers": ["non_contractual_head", "mobile_changed"],
        "corrected_mobile": "9876543210",
        "corrected_family_id": None,
    }
    values.update(overrides)
    in_data = values.pop("in_data", True)
    placed_in = values.pop("placed_in", office)
    department = values.pop("department", None)
    employee_id = values.pop("employee_id", unique("ebilling:EMP"))
    if in_data:
        PENDING[employee_id] = source_record(employee_id, placed_in, department)
    return example_submission(employee_id, office, **values)


def source_record(
    employee_id: str, ddo: str, department: str | None = None, **fields: Any
) -> EmployeeRecordReceived:
    """The employee as e-Billing knows them: paid by `ddo`."""
    return person(
        employee_id=employee_id,
        ddo_code=ddo,
        office_code=None,
        department_code=department,
        **fields,
    )


def form(sub: dict[str, Any]) -> dict[str, str]:
    return {"submission": json.dumps(sub)}


def token(role: str, *offices: str, department: str | None = None) -> str:
    """An access token of an officer with this role and scope, from the provider."""
    return officers.token(role, *offices, department=department)


def auth(role: str, *offices: str, department: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, *offices, department=department)}"}


def settings(kafka: str, mongodb: str, **overrides: Any) -> CertificationSettings:
    values: dict[str, Any] = {
        "kafka_bootstrap_servers": kafka,
        "mongodb_uri": mongodb,
        "mongodb_database": unique("cert"),
        "consumer_group": unique("cert"),
    }
    values.update(overrides)
    return CertificationSettings.model_validate(values)


_seeding: dict[int, asyncio.Lock] = {}  # one per event loop


async def seed(app: Any) -> None:
    """Put the employees of pending submissions in the app's source data (one caller at a
    time: a request waits until the records taken before it are written)."""
    lock = _seeding.setdefault(id(asyncio.get_running_loop()), asyncio.Lock())
    async with lock:
        while PENDING:
            _, record = PENDING.popitem()
            await app.state.deps.directory.apply_record(record)
