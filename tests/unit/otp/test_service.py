"""Service as the rules count it: sources aggregated with overlaps counted once, and
certified periods for the years the data does not cover."""

from __future__ import annotations

from datetime import date

from contracts.ingest import ServicePeriod
from otp.domain.service import certified_credits, counted_once
from tests.factories.otp import certification


def period(start: date, end: date, days: int | None = None) -> ServicePeriod:
    return ServicePeriod(start=start, end=end, days_paid=days or (end - start).days + 1)


def test_overlapping_periods_of_two_sources_count_each_day_once() -> None:
    hkrnl = [period(date(2019, 1, 1), date(2021, 12, 31))]
    ebilling = [
        period(date(2021, 12, 1), date(2021, 12, 31)),
        period(date(2022, 1, 1), date(2022, 1, 31), 20),
    ]

    merged = counted_once([hkrnl, ebilling])

    assert [(p.start, p.end, p.days_paid) for p in merged] == [
        (date(2019, 1, 1), date(2021, 12, 31), 1096),
        (date(2022, 1, 1), date(2022, 1, 31), 20),
    ]


def test_a_period_straddling_a_covered_stretch_keeps_its_free_days_in_proportion() -> None:
    first = [period(date(2020, 1, 11), date(2020, 1, 20))]
    second = [period(date(2020, 1, 1), date(2020, 1, 30), 15)]

    merged = counted_once([first, second])

    assert [(p.start, p.end, p.days_paid) for p in merged] == [
        (date(2020, 1, 1), date(2020, 1, 10), 5),
        (date(2020, 1, 11), date(2020, 1, 20), 10),
        (date(2020, 1, 21), date(2020, 1, 30), 5),
    ]


def test_certified_periods_count_only_before_the_data_and_never_twice() -> None:
    data = [period(date(2023, 4, 1), date(2025, 3, 31))]
    older = certification("e", service_periods=({"start": date(2015, 4, 1), "end": None},))
    newer = certification(
        "e", service_periods=({"start": date(2014, 4, 1), "end": date(2016, 3, 31)},)
    )

    credits = certified_credits(data, [older, newer])

    assert [(c, p.start, p.end, p.days_paid) for c, p in credits] == [
        (newer.certification_id, date(2014, 4, 1), date(2015, 3, 31), 365),
        (older.certification_id, date(2015, 4, 1), date(2023, 3, 31), 2922),
    ]
