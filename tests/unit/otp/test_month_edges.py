"""Service read right at the edges of a month: a partly paid first month is placed from
the date of joining, and a month paid for 0 days is no service on the appointed date."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from contracts.ingest import ServicePeriod
from otp.domain.decision import APPOINTED_DATE, decide
from otp.domain.rules import in_service_on, placed_in_service, qualifying_years
from tests.factories.otp import record

JOINED = date(2019, 6, 16)


def month(year: int, number: int, days: int, first: int = 1) -> ServicePeriod:
    """An e-Billing line as a period: the 1st (or `first`) to the last day of the month."""
    last = monthrange(year, number)[1]
    return ServicePeriod(
        start=date(year, number, first),
        end=date(year, number, last),
        days_paid=days,
        object_code="69",
    )


def lines(june_2019: int, first: int = 1) -> list[ServicePeriod]:
    """The worked example of docs/otp-rules.md: 16 Jun 2019 joiner, `june_2019` days in
    June 2019, 20 days a month Jul 2019 - May 2020, 10 in June 2020, then full months."""
    periods = [month(2019, 6, june_2019, first)]
    periods += [month(2019 + (m > 12), (m - 1) % 12 + 1, 20) for m in range(7, 18)]
    periods.append(month(2020, 6, 10))
    for index in range(2020 * 12 + 6, 2024 * 12 + 8):  # Jul 2020 - Aug 2024
        year, number = divmod(index, 12)
        periods.append(month(year, number + 1, monthrange(year, number + 1)[1]))
    return periods


def test_a_15_day_june_line_of_a_16_june_joiner_gives_exactly_240_days_and_5_years() -> None:
    years, evidence = qualifying_years(lines(15), JOINED, APPOINTED_DATE)
    assert evidence[0] == {
        "from": "2019-06-16",
        "to": "2020-06-15",
        "paid_days": 240.0,
        "qualifies": True,
    }
    assert years == 5


def test_placed_from_joining_by_ingest_or_by_the_rules_the_count_is_the_same() -> None:
    by_ingest = qualifying_years(lines(15, first=16), JOINED, APPOINTED_DATE)
    assert by_ingest == qualifying_years(lines(15), JOINED, APPOINTED_DATE)


def test_one_day_fewer_in_june_2019_is_239_days_and_four_years() -> None:
    years, evidence = qualifying_years(lines(14), JOINED, APPOINTED_DATE)
    assert (evidence[0]["paid_days"], evidence[0]["qualifies"]) == (239.0, False)
    assert years == 4
    decision = decide("e", record(joined=JOINED, service_periods=tuple(lines(14))), [])
    assert [r.code for r in decision.eligibility.reasons] == ["short_service"]


def test_the_16_june_joiner_is_eligible() -> None:
    decision = decide("e", record(joined=JOINED, service_periods=tuple(lines(15))), [])
    assert decision.eligibility.status == "eligible"
    assert decision.eligibility.qualifying_years == 5


def test_a_period_starting_before_joining_starts_on_it_and_keeps_at_most_a_day_a_day() -> None:
    assert placed_in_service([month(2019, 6, 15)], JOINED) == [month(2019, 6, 15, first=16)]
    assert placed_in_service([month(2019, 6, 30)], JOINED) == [month(2019, 6, 15, first=16)]
    assert placed_in_service([month(2019, 5, 31)], JOINED) == []
    assert placed_in_service([month(2019, 7, 31)], JOINED) == [month(2019, 7, 31)]


def test_a_month_paid_for_0_days_is_no_service_on_the_appointed_date() -> None:
    zero = [month(2024, m, 0) for m in (7, 8, 9)]
    assert not in_service_on(zero, APPOINTED_DATE)
    periods = (month(2015, 4, 30), *lines(15)[:-2], *zero)
    decision = decide("e", record(joined=date(2015, 4, 1), service_periods=periods), [])
    [reason] = [r for r in decision.eligibility.reasons if r.code.startswith("not_in")]
    assert reason.code == "not_in_service_on_appointed_date"
    assert reason.evidence["last_paid_day"] == "2024-06-30"


def test_paid_days_in_august_2024_are_service_on_the_appointed_date() -> None:
    assert in_service_on([month(2024, 8, 1)], APPOINTED_DATE)


def test_a_period_that_does_not_cover_the_15th_is_not_service_on_it() -> None:
    left_on_10th = ServicePeriod(start=date(2024, 8, 1), end=date(2024, 8, 10), days_paid=10)
    assert not in_service_on([left_on_10th], APPOINTED_DATE)
    joined_on_20th = record(joined=date(2024, 8, 20), service_periods=(month(2024, 8, 12),))
    reasons = decide("e", joined_on_20th, []).eligibility.reasons
    assert "not_in_service_on_appointed_date" in [r.code for r in reasons]
