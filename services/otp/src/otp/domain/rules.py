"""The Act's rules as pure functions (public sources: the Bill as tabled, Nov 2024; the
Rules, Aug 2025; the amending ordinance, Dec 2024). See docs/otp-rules.md.

Each check returns reason codes with evidence; nothing here reads a clock or a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from contracts.certification import CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived, ServicePeriod
from servicekit.pii import mask_family_id, mask_mobile

CONTRACTUAL_OBJECT_CODES = frozenset({"69", "01"})
REMUNERATION_CAP = 50_000
MIN_QUALIFYING_YEARS = 5
MIN_PAID_DAYS_PER_YEAR = 240
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


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March in a common year, so the
    one-year period that starts on 29 February ends on 28 February. Past the end of the
    calendar (a source date near year 9999) it stays at `date.max`, so no record can make
    the rules raise."""
    year = day.year + years
    if year > date.max.year:
        return date.max
    try:
        return day.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def paid_days_between(periods: Sequence[ServicePeriod], start: date, end: date) -> Fraction:
    """Paid days falling in [start, end]. A period straddling the window counts its paid
    days in proportion to the calendar days that overlap (exact for HKRNL deployments,
    whose days paid are their calendar days)."""
    whole = 0  # periods inside the window count whole: integer sums, no Fraction
    part = Fraction(0)
    for period in periods:
        overlap = (min(period.end, end) - max(period.start, start)).days + 1
        if overlap <= 0:
            continue
        length = (period.end - period.start).days + 1
        if overlap == length:
            whole += period.days_paid
        else:
            part += Fraction(period.days_paid * overlap, length)
    return part + whole


def placed_in_service(periods: Sequence[ServicePeriod], joining: date) -> list[ServicePeriod]:
    """Each period as it falls within the person's service, which begins on the date of
    joining: a period that begins earlier (an e-Billing month, 1st to last day, of a person
    who joined mid-month) starts on the date of joining instead, and its paid days are
    spread over the days from then on, at most one a calendar day. A period that ends
    before the date of joining is no service. So no paid day falls before joining."""
    placed = []
    for period in periods:
        if period.start >= joining:
            placed.append(period)
        elif period.end >= joining:
            days = min(period.days_paid, (period.end - joining).days + 1)
            placed.append(period.model_copy(update={"start": joining, "days_paid": days}))
    return placed


def year_windows(joining: date, appointed: date) -> list[tuple[date, date]]:
    """The successive one-year periods from the date of joining that end on or before
    the appointed date."""
    windows = []
    k = 0
    while (end := add_years(joining, k + 1) - timedelta(days=1)) <= appointed:
        windows.append((add_years(joining, k), end))
        k += 1
    return windows


def qualifying_years(
    periods: Sequence[ServicePeriod], joining: date, appointed: date
) -> tuple[int, list[dict[str, Any]]]:
    """Years with at least 240 paid days, and the evidence for each year. Paid days are
    counted as placed in service (`placed_in_service`): none before the date of joining."""
    periods = placed_in_service(periods, joining)
    evidence = []
    count = 0
    first = min((period.start for period in periods), default=date.max)
    last = max((period.end for period in periods), default=date.min)
    for start, end in year_windows(joining, appointed):
        outside = end < first or start > last  # a year with no period in it: no paid day
        days = Fraction(0) if outside else paid_days_between(periods, start, end)
        qualifies = days >= MIN_PAID_DAYS_PER_YEAR
        count += qualifies
        evidence.append(
            {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "paid_days": float(days),
                "qualifies": qualifies,
            }
        )
    return count, evidence


def years_before_data(record: EmployeeRecordReceived, per_year: list[dict[str, Any]]) -> int:
    """Part-II: an e-Billing export holds recent months only, so a year that starts before
    its first paid month is unknown, not short. Counts such years that do not qualify on
    the data alone. HKRNL deployments are the whole history: always 0 for Part-I."""
    if record.part != "II" or not record.service_periods:
        return 0
    data_from = min(period.start for period in record.service_periods).isoformat()
    return sum(1 for year in per_year if not year["qualifies"] and year["from"] < data_from)


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


def in_service_on(periods: Sequence[ServicePeriod], day: date) -> bool:
    """In paid service on `day`: a period with paid days covers it. A month paid for 0
    days is no service; an e-Billing month counts from the 1st to its last day unless the
    date of joining (or of leaving) is in it, when it starts (or ends) on that date."""
    return any(period.days_paid > 0 and period.start <= day <= period.end for period in periods)


def last_paid_day(periods: Sequence[ServicePeriod]) -> str | None:
    """The end of the last period with paid days (ISO), or None when none has any."""
    last = max((period.end for period in periods if period.days_paid > 0), default=None)
    return last.isoformat() if last else None


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
    if not record.service_periods:
        missing.append(("service_periods_missing", {}))
    elif not in_service_on(_in_service(record), appointed):
        failed.append(
            (
                "not_in_service_on_appointed_date",
                {
                    "last_paid_day": last_paid_day(_in_service(record)),
                    "appointed_date": appointed.isoformat(),
                },
            )
        )
    if record.date_of_joining is None:
        missing.append(("date_of_joining_missing", {}))
    elif record.service_periods:
        years, per_year = qualifying_years(
            record.service_periods, record.date_of_joining, appointed
        )
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
