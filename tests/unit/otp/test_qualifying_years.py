"""The Act's qualifying years at their boundaries: five years ending on or before the
appointed date, a year from 29 February, 240 paid days a year (a period's days shared in
proportion to its overlap, one touching a year by a day counting that day), service in
several departments aggregated; years before the first month of e-Billing data are
unknown, not short, while HKRNL deployments are the whole history."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from contracts.ingest import ServicePeriod
from otp.domain.decision import APPOINTED_DATE, decide
from otp.domain.rules import (
    add_years,
    paid_days_between,
    placed_in_service,
    qualifying_years,
    year_windows,
)
from tests.factories.otp import record
from tests.unit.otp.findings import codes


def test_joining_five_years_and_one_day_before_the_appointed_date_qualifies() -> None:
    joined = date(2019, 8, 14)
    assert decide("e", record(joined=joined), []).eligibility.qualifying_years == 5


def test_joining_one_day_later_still_gives_five_years_ending_on_or_before_it() -> None:
    joined = date(2019, 8, 15)
    assert decide("e", record(joined=joined), []).eligibility.qualifying_years == 5


def test_the_last_day_to_join_is_the_one_whose_fifth_year_ends_on_the_appointed_date() -> None:
    assert year_windows(date(2019, 8, 16), APPOINTED_DATE)[-1][1] == APPOINTED_DATE
    assert decide("e", record(joined=date(2019, 8, 16)), []).eligibility.status == "eligible"
    late = decide("e", record(joined=date(2019, 8, 17)), [])
    assert late.eligibility.status == "not_eligible"
    assert codes(late.eligibility.reasons) == ["short_service"]
    assert late.eligibility.qualifying_years == 4


def test_a_year_with_exactly_240_paid_days_counts_and_239_does_not() -> None:
    joined = date(2019, 1, 1)
    periods = [
        ServicePeriod(
            start=add_years(joined, k),
            end=add_years(joined, k) + timedelta(days=239),
            days_paid=240,
        )
        for k in range(5)
    ]
    years, _ = qualifying_years(periods, joined, APPOINTED_DATE)
    assert years == 5
    short = [
        p.model_copy(update={"days_paid": 239}) if i == 2 else p for i, p in enumerate(periods)
    ]
    years, evidence = qualifying_years(short, joined, APPOINTED_DATE)
    assert years == 4
    assert evidence[2]["paid_days"] == 239
    assert not evidence[2]["qualifies"]


def test_a_year_from_29_february_ends_on_28_february() -> None:
    windows = year_windows(date(2016, 2, 29), APPOINTED_DATE)
    assert windows[0] == (date(2016, 2, 29), date(2017, 2, 28))
    assert windows[1][0] == date(2017, 3, 1)
    assert decide("e", record(joined=date(2016, 2, 29)), []).eligibility.qualifying_years == 8


def test_service_in_several_departments_is_aggregated() -> None:
    joined = date(2018, 1, 1)
    periods = (
        ServicePeriod(
            start=joined, end=date(2020, 12, 31), days_paid=1096, department_code="HEALTH"
        ),
        ServicePeriod(
            start=date(2021, 1, 1), end=date(2025, 1, 31), days_paid=1492, department_code="PWD"
        ),
    )
    decision = decide("e", record(joined=joined, service_periods=periods), [])
    assert decision.eligibility.qualifying_years == 6


_periods = st.lists(
    st.builds(
        lambda start, length, days: ServicePeriod(
            start=start, end=start + timedelta(days=length - 1), days_paid=days
        ),
        st.dates(date(2005, 1, 1), date(2025, 12, 31)),
        st.integers(1, 800),
        st.integers(0, 800),
    ),
    max_size=8,
)


@given(_periods, st.dates(date(2004, 1, 1), date(2026, 12, 31)), st.integers(0, 900))
def test_paid_days_are_each_period_s_days_in_proportion_to_its_overlap(
    periods: list[ServicePeriod], start: date, span: int
) -> None:
    end = start + timedelta(days=span)
    expected = Fraction(0)
    for p in periods:
        overlap = (min(p.end, end) - max(p.start, start)).days + 1
        if overlap > 0:
            expected += Fraction(p.days_paid * overlap, (p.end - p.start).days + 1)
    assert paid_days_between(periods, start, end) == expected


@given(_periods, st.dates(date(2000, 1, 1), date(2024, 8, 15)))
def test_each_year_s_evidence_is_its_paid_days(periods: list[ServicePeriod], joined: date) -> None:
    years, evidence = qualifying_years(periods, joined, APPOINTED_DATE)
    placed = placed_in_service(periods, joined)
    for year in evidence:
        start, end = date.fromisoformat(year["from"]), date.fromisoformat(year["to"])
        assert year["paid_days"] == float(paid_days_between(placed, start, end))
        assert year["qualifies"] == (paid_days_between(placed, start, end) >= 240)
    assert years == sum(year["qualifies"] for year in evidence)


def test_a_period_touching_a_year_by_one_day_counts_that_day() -> None:
    joined = date(2019, 1, 1)  # years 2019-01-01..2019-12-31, 2020-01-01..2020-12-31, ...
    last_day_of_first = ServicePeriod(start=date(2019, 12, 31), end=date(2020, 1, 1), days_paid=2)
    _, evidence = qualifying_years([last_day_of_first], joined, APPOINTED_DATE)
    assert [year["paid_days"] for year in evidence[:3]] == [1, 1, 0]
    first_day_of_second = ServicePeriod(start=date(2019, 12, 1), end=date(2020, 1, 1), days_paid=32)
    _, evidence = qualifying_years([first_day_of_second], joined, APPOINTED_DATE)
    assert [year["paid_days"] for year in evidence[:3]] == [31, 1, 0]


def test_a_period_straddling_two_years_is_shared_in_proportion() -> None:
    joined = date(2019, 1, 1)
    period = ServicePeriod(start=date(2019, 7, 1), end=date(2020, 6, 30), days_paid=366)
    years, evidence = qualifying_years([period], joined, APPOINTED_DATE)
    assert evidence[0]["paid_days"] == 184
    assert evidence[1]["paid_days"] == 182
    assert years == 0


def _paid_from(start: date) -> tuple[ServicePeriod, ...]:
    """An e-Billing export's view: paid every day from `start` (the first month in it)."""
    until = date(2024, 8, 31)
    return (ServicePeriod(start=start, end=until, days_paid=(until - start).days + 1),)


def test_years_before_the_first_month_in_the_e_billing_data_are_unknown_not_short() -> None:
    joined, data_from = date(2012, 6, 1), date(2023, 9, 1)
    decision = decide("e", record(joined=joined, service_periods=_paid_from(data_from)), [])
    assert decision.eligibility.status == "undetermined"
    [reason] = decision.eligibility.reasons
    assert reason.code == "service_before_data"
    assert reason.evidence["data_from"] == "2023-09-01"
    # Jun 2023 - May 2024 has 274 paid days in the data; the 11 years before it are unknown.
    assert reason.evidence["qualifying_years"] == 1
    assert reason.evidence["years_before_data"] == 11


def test_too_few_years_since_joining_is_short_even_if_every_unknown_year_counted() -> None:
    joined = date(2021, 3, 1)
    decision = decide("e", record(joined=joined, service_periods=_paid_from(date(2023, 9, 1))), [])
    assert decision.eligibility.status == "not_eligible"
    assert codes(decision.eligibility.reasons) == ["short_service"]


def test_hkrnl_deployments_are_the_whole_history_so_a_late_start_is_short() -> None:
    hkrnl = record(
        "hkrnl:H1",
        source="hkrnl",
        part="I",
        joined=date(2012, 6, 1),
        service_periods=_paid_from(date(2023, 9, 1)),
    )
    decision = decide("hkrnl:H1", hkrnl, [])
    assert decision.eligibility.status == "not_eligible"
    assert codes(decision.eligibility.reasons) == ["short_service"]
