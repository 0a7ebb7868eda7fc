"""Property tests of the rules at the edges of a month: whatever month is partly paid and
whatever the day of joining, no paid day is counted before the date of joining, and a
month paid for 0 days is never service on the appointed date."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.ingest import ServicePeriod
from otp.domain.decision import APPOINTED_DATE, decide
from otp.domain.rules import (
    add_years,
    in_service_on,
    paid_days_between,
    placed_in_service,
    qualifying_years,
)
from tests.factories.otp import record

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def month_lines(draw: st.DrawFn) -> ServicePeriod:
    """An e-Billing month as older records carry it: 1st to last day, 0 to all days paid."""
    year, month = draw(st.integers(2000, 2030)), draw(st.integers(1, 12))
    last = monthrange(year, month)[1]
    return ServicePeriod(
        start=date(year, month, 1),
        end=date(year, month, last),
        days_paid=draw(st.integers(0, last)),
        object_code="69",
    )


@SETTINGS
@given(month_lines(), st.integers(-40, 40))
def test_no_paid_day_of_a_partly_paid_month_falls_before_the_date_of_joining(
    line: ServicePeriod, offset: int
) -> None:
    joined = line.start + timedelta(days=offset)  # before, inside or after the month
    placed = placed_in_service([line], joined)
    assert paid_days_between(placed, date(1999, 1, 1), joined - timedelta(days=1)) == 0
    in_service = max(0, (line.end - max(joined, line.start)).days + 1)
    assert paid_days_between(placed, joined, line.end) == min(line.days_paid, in_service)


@SETTINGS
@given(month_lines(), st.integers(0, 30), st.lists(st.integers(0, 31), min_size=12, max_size=12))
def test_the_first_service_year_counts_the_month_of_joining_from_the_date_of_joining(
    first: ServicePeriod, day: int, later: list[int]
) -> None:
    joined = min(first.start + timedelta(days=day), first.end)
    periods = [first]
    for days in later:  # the twelve months after the month of joining
        start = periods[-1].end + timedelta(days=1)
        end = date(start.year, start.month, monthrange(start.year, start.month)[1])
        periods.append(ServicePeriod(start=start, end=end, days_paid=days))
    if add_years(joined, 5) > APPOINTED_DATE:  # (29 Feb joiners too)
        return
    _, evidence = qualifying_years(periods, joined, APPOINTED_DATE)
    year_end = date.fromisoformat(evidence[0]["to"])
    expected = paid_days_between(placed_in_service(periods, joined), joined, year_end)
    assert evidence[0]["paid_days"] == float(expected)
    in_first = min(first.days_paid, (first.end - joined).days + 1)
    assert expected >= in_first  # the month of joining counts whole, from joining


@SETTINGS
@given(st.lists(st.integers(0, 31) | st.just(0), min_size=3, max_size=3))
def test_months_paid_for_0_days_are_never_service_on_the_appointed_date(
    late: list[int],
) -> None:
    """Full months from Apr 2015 to Jun 2024, then July, August and September 2024 with
    any days paid (often 0): in service on 15 Aug 2024 exactly when August has paid days."""
    lines = []
    for index in range(2015 * 12 + 3, 2024 * 12 + 9):  # Apr 2015 - Sep 2024
        year, month = divmod(index, 12)
        last = monthrange(year, month + 1)[1]
        days = last if index < 2024 * 12 + 6 else min(last, late[index - 2024 * 12 - 6])
        start, end = date(year, month + 1, 1), date(year, month + 1, last)
        lines.append(ServicePeriod(start=start, end=end, days_paid=days))
    august_paid = late[1] > 0
    assert in_service_on(lines, APPOINTED_DATE) == august_paid
    decision = decide("e", record(joined=date(2015, 4, 1), service_periods=tuple(lines)), [])
    reasons = {r.code for r in decision.eligibility.reasons}
    assert ("not_in_service_on_appointed_date" in reasons) != august_paid
