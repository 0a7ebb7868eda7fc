"""The Act's rules as pure functions (public sources: the Bill as tabled, Nov 2024; the
Rules, Aug 2025; the amending ordinance, Dec 2024). See docs/otp-rules.md.

Each check returns reason codes with evidence; nothing here reads a clock or a database.
Service counted in time (years, paid days, placement from joining) is `paid_years`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from contracts.certification import CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived, ServicePeriod
from otp.domain.paid_years import (
    MIN_PAID_DAYS_PER_YEAR,
    add_years,
    in_service_on,
    last_paid_day,
    paid_days_between,
    placed_in_service,
    qualifying_years,
    year_windows,
    years_before_data,
)
from servicekit.pii import mask_family_id, mask_mobile

__all__ = [
    "MIN_PAID_DAYS_PER_YEAR",
    "add_years",
    "effective_family_id",
    "effective_mobile",
    "gate_findings",
    "in_service_on",
    "last_paid_day",
    "paid_days_between",
    "placed_in_service",
    "provisional_eligibility",
    "qualifying_years",
    "year_windows",
    "years_before_data",
]

CONTRACTUAL_OBJECT_CODES = frozenset({"69", "01"})
REMUNERATION_CAP = 50_000
MIN_QUALIFYING_YEARS = 5
MAX_AGE = 58

Status = Literal["eligible", "not_eligible", "undetermined"]
Found = tuple[str, dict[str, Any]]


# --- OTP gate ------------------------------------------------------------------------


def gate_findings(
    record: EmployeeRecordReceived | None, certifications: Sequence[CertificationTookEffect]
) -> list[Found]:
    """Why no OTP may be sent; empty when the gate is open."""
    if record is None:
        return [("no_record", {})]
    covers = {cover for cert in certifications for cover in cert.covers}
    cert_ids = [cert.certification_id for cert in certifications]
    found: list[Found] = []
    if effective_mobile(record, certifications) is None:
        found.append(("mobile_missing", {"issues": _issues(record, "mobile")}))
    if effective_family_id(record, certifications) is None:
        found.append(("family_id_missing", {"issues": _issues(record, "family_id")}))
    paid_off_head = record.source == "ebilling" and not CONTRACTUAL_OBJECT_CODES & set(
        record.object_codes
    )
    if paid_off_head and "non_contractual_head" not in covers:
        found.append(("non_contractual_head", {"object_codes": list(record.object_codes)}))
    if found and cert_ids:
        for _, evidence in found:
            evidence["certifications_in_force"] = cert_ids
    return found


def effective_mobile(
    record: EmployeeRecordReceived, certifications: Sequence[CertificationTookEffect]
) -> str | None:
    """A certified correction wins over the source's value (latest certification first)."""
    for cert in reversed(certifications):
        if cert.corrected_mobile:
            return cert.corrected_mobile
    return record.mobile


def effective_family_id(
    record: EmployeeRecordReceived, certifications: Sequence[CertificationTookEffect]
) -> str | None:
    for cert in reversed(certifications):
        if cert.corrected_family_id:
            return cert.corrected_family_id
    return record.family_id


def masked_contact(
    record: EmployeeRecordReceived, certifications: Sequence[CertificationTookEffect]
) -> dict[str, str]:
    return {
        "mobile": mask_mobile(effective_mobile(record, certifications)),
        "family_id": mask_family_id(effective_family_id(record, certifications)),
    }


def _issues(record: EmployeeRecordReceived, field: str) -> list[str]:
    return [issue.reason for issue in record.issues if issue.field == field]


# --- provisional eligibility ---------------------------------------------------------


def additional_remuneration_percent(years: int) -> int:
    if years >= 10:
        return 15
    if years >= 8:
        return 10
    if years >= MIN_QUALIFYING_YEARS:
        return 5
    return 0


def monthly_pay(record: EmployeeRecordReceived) -> Decimal | int | None:
    """The monthly remuneration the cap is checked on: the exact amount (rupees and
    paise, never rounded) when the record carries it, else the whole rupees of older
    records."""
    if record.monthly_remuneration_exact is not None:
        return record.monthly_remuneration_exact
    return record.monthly_remuneration


def _rupees(pay: Decimal | int) -> int | str:
    """An amount as evidence: whole rupees as a number, rupees and paise as exact text."""
    return int(pay) if pay == int(pay) else str(pay)


def _in_service(record: EmployeeRecordReceived) -> Sequence[ServicePeriod]:
    if record.date_of_joining is None:
        return record.service_periods
    return placed_in_service(record.service_periods, record.date_of_joining)


def provisional_eligibility(
    record: EmployeeRecordReceived | None, appointed: date
) -> tuple[Status, list[Found], int | None, int | None]:
    """Status, reasons, qualifying years and additional-remuneration tier."""
    if record is None:
        return "undetermined", [("no_record", {})], None, None
    failed: list[Found] = []
    missing: list[Found] = []

    if record.scheme == "centrally_sponsored":
        failed.append(("centrally_sponsored_scheme", {"scheme": record.scheme}))
    if record.employment == "part_time":
        failed.append(("part_time", {"employment": record.employment}))

    if record.date_of_birth is None:
        missing.append(("date_of_birth_missing", {}))
    elif add_years(record.date_of_birth, MAX_AGE) < appointed:
        failed.append(
            (
                "over_age",
                {
                    "date_of_birth": record.date_of_birth.isoformat(),
                    "turned_58_on": add_years(record.date_of_birth, MAX_AGE).isoformat(),
                },
            )
        )

    if record.part == "II":
        pay = monthly_pay(record)
        if pay is None:
            missing.append(("remuneration_missing", {}))
        elif pay > REMUNERATION_CAP:
            failed.append(
                (
                    "remuneration_above_cap",
                    {"monthly_remuneration": _rupees(pay), "cap": REMUNERATION_CAP},
                )
            )

    years: int | None = None
    placed = _in_service(record)
    if not record.service_periods:
        missing.append(("service_periods_missing", {}))
    elif not in_service_on(placed, appointed):
        failed.append(
            (
                "not_in_service_on_appointed_date",
                {
                    "last_paid_day": last_paid_day(placed),
                    "appointed_date": appointed.isoformat(),
                },
            )
        )
    if record.date_of_joining is None:
        missing.append(("date_of_joining_missing", {}))
    elif record.service_periods:
        # placed already: placing them again keeps them as they are
        years, per_year = qualifying_years(placed, record.date_of_joining, appointed)
        unseen = years_before_data(record, per_year)
        if years < MIN_QUALIFYING_YEARS <= years + unseen:
            missing.append(
                (
                    "service_before_data",
                    {
                        "data_from": min(p.start for p in record.service_periods).isoformat(),
                        "qualifying_years": years,
                        "years_before_data": unseen,
                        "required": MIN_QUALIFYING_YEARS,
                    },
                )
            )
        elif years < MIN_QUALIFYING_YEARS:
            failed.append(
                (
                    "short_service",
                    {
                        "qualifying_years": years,
                        "required": MIN_QUALIFYING_YEARS,
                        "years": per_year,
                    },
                )
            )

    tier = additional_remuneration_percent(years) if years is not None else None
    if failed:
        return "not_eligible", failed + missing, years, None
    if missing:
        return "undetermined", missing, years, None
    return "eligible", [("qualifying_service", {"qualifying_years": years})], years, tier
