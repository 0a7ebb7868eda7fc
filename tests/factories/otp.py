"""Employee records and certifications as the OTP service receives them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from contracts.certification import CertificationRevoked, CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived, ServicePeriod
from contracts.notify import SmsStatusReported
from tests.factories import next_version, unique


def record(
    employee_id: str | None = None,
    *,
    joined: date = date(2015, 4, 1),
    until: date = date(2025, 3, 31),
    **fields: Any,
) -> EmployeeRecordReceived:
    """An e-Billing (Part-II) record of a person who qualifies unless fields say otherwise:
    paid every day from `joined` to `until` under object code 69."""
    employee_id = employee_id or f"ebilling:{unique('E')}"
    values: dict[str, Any] = {
        "employee_id": employee_id,
        "source": "ebilling",
        "part": "II",
        "batch_id": unique("batch"),
        "name": "Sunita Devi",
        "date_of_birth": date(1980, 5, 17),
        "date_of_joining": joined,
        "mobile": "9876543210",
        "family_id": "ABCD1234",
        "department_code": "HEALTH",
        "office_code": "HSR-CMO",
        "post_code": "STAFF-NURSE",
        "ddo_code": "DDO-HSR-01",
        "monthly_remuneration": 28_000,
        "service_periods": (
            ServicePeriod(
                start=joined, end=until, days_paid=(until - joined).days + 1, object_code="69"
            ),
        ),
        "object_codes": ("69",),
        "producer": "ingest",
        "correlation_id": unique("corr"),
        "partition_key": employee_id,
        "source_version": next_version(),
    }
    values.update(fields)
    return EmployeeRecordReceived.model_validate(values)


def certification(employee_id: str, **fields: Any) -> CertificationTookEffect:
    values: dict[str, Any] = {
        "certification_id": unique("cert"),
        "employee_id": employee_id,
        "office_code": "DDO-HSR-01",
        # not unique("HSR/2026"): "2026-" and a hex part of digits only read as an Aadhaar
        "letter_number": f"HSR/2026/{unique('L')}",
        "letter_date": date(2026, 2, 20),
        "certified_by_role": "ddo",
        "hrd_advice_number": unique("HRD"),
        "hrd_advice_date": date(2026, 2, 25),
        "covers": ("non_contractual_head",),
        "effective_at": datetime(2026, 2, 25, 10, tzinfo=UTC),
        "producer": "certification",
        "correlation_id": unique("corr"),
        "partition_key": employee_id,
        "source_version": 2,
    }
    values.update(fields)
    return CertificationTookEffect.model_validate(values)


def revocation(
    cert: CertificationTookEffect, reason: str = "issued in error"
) -> CertificationRevoked:
    """HRD's revocation of `cert`, the next version of it."""
    return CertificationRevoked(
        certification_id=cert.certification_id,
        employee_id=cert.employee_id,
        reason=reason,
        revoked_by_role="hrd",
        revoked_at=cert.effective_at,
        producer="certification",
        correlation_id=unique("c"),
        partition_key=cert.employee_id,
        source_version=cert.source_version + 1,
    )


def sms_status(
    challenge_id: str, state: str, version: int, at: datetime | None = None
) -> SmsStatusReported:
    """notify's report of the first send of `challenge_id`, as version `version`."""
    return SmsStatusReported(
        challenge_id=challenge_id,
        send_number=1,
        state=state,
        at=at or datetime.now(UTC),
        producer="notify",
        correlation_id=challenge_id,
        partition_key=challenge_id,
        source_version=version,
    )


def person(**fields: Any) -> EmployeeRecordReceived:
    """A record with a Family ID and mobile of its own: services read topics from the
    beginning, so fixed contact data would meet other tests' (and earlier runs') records."""
    token = uuid.uuid4().int
    values: dict[str, Any] = {
        "family_id": f"T{token % 10**7:07d}X",
        "mobile": f"{6 + token % 4}{(token // 10) % 10**9:09d}",
    }
    values.update(fields)
    return record(**values)
