"""Paid service in time, as the Act counts it (pure): one-year periods from the date of
joining, the paid days in each, service placed from the date of joining, being in
service on a day. See docs/otp-rules.md; `otp.domain.rules` applies them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from contracts.ingest import EmployeeRecordReceived, ServicePeriod

MIN_PAID_DAYS_PER_YEAR = 240


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


def paid_days_between(periods: Sequence[ServicePeriod], start: date, end: date) -> Fraction | int:
    """Paid days falling in [start, end]. A period straddling the window counts its paid
    days in proportion to the calendar days that overlap (exact for HKRNL deployments,
    whose days paid are their calendar days). Whole periods only: an int."""
    whole = 0  # periods inside the window count whole: integer sums, no Fraction
    part: Fraction | int = 0
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
    k, start = 0, joining
    while (end := (following := add_years(joining, k + 1)) - timedelta(days=1)) <= appointed:
        windows.append((start, end))
        k, start = k + 1, following
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
        days = 0 if outside else paid_days_between(periods, start, end)
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


def in_service_on(periods: Sequence[ServicePeriod], day: date) -> bool:
    """In paid service on `day`: a period with paid days covers it. A month paid for 0
    days is no service; an e-Billing month counts from the 1st to its last day unless the
    date of joining (or of leaving) is in it, when it starts (or ends) on that date."""
    return any(period.days_paid > 0 and period.start <= day <= period.end for period in periods)


def last_paid_day(periods: Sequence[ServicePeriod]) -> str | None:
    """The end of the last period with paid days (ISO), or None when none has any."""
    last = max((period.end for period in periods if period.days_paid > 0), default=None)
    return last.isoformat() if last else None
