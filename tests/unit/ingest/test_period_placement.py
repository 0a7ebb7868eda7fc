"""An e-Billing line's paid days stay inside the person's service: the month of joining
starts on the date of joining, the month of a known date of leaving ends on it."""

from __future__ import annotations

from datetime import date

from ingest.domain import parsing
from ingest.domain.model import EmployeeDraft, ParseStats, Rejection

HEADER = (
    "employee_code,name,head_of_account,month,days_paid,amount,mobile,family_id,"
    "date_of_birth,date_of_joining,date_of_leaving"
)


def line(month: str, days: int, joined: str = "16-06-2019", left: str = "") -> str:
    return (
        f"E1,Sita Devi,2210-01-110-99-69,{month},{days},15000,9812345670,AB12CD34,"
        f"10-04-1987,{joined},{left}"
    )


def parse(*lines: str) -> tuple[list[EmployeeDraft], list[Rejection]]:
    items = list(parsing.parse_ebilling_csv([HEADER, *lines], ParseStats()))
    return (
        [i for i in items if isinstance(i, EmployeeDraft)],
        [i for i in items if isinstance(i, Rejection)],
    )


def periods(draft: EmployeeDraft) -> list[tuple[date, date, int]]:
    return [(p.start, p.end, p.days_paid) for p in draft.service_periods]


def test_the_month_of_joining_starts_on_the_date_of_joining() -> None:
    [draft], [] = parse(line("06-2019", 15), line("07-2019", 31))
    assert periods(draft) == [
        (date(2019, 6, 16), date(2019, 6, 30), 15),
        (date(2019, 7, 1), date(2019, 7, 31), 31),
    ]


def test_the_month_of_a_known_date_of_leaving_ends_on_it() -> None:
    [draft], [] = parse(line("08-2024", 10, left="10-08-2024"), line("07-2024", 31))
    assert periods(draft)[-1] == (date(2024, 8, 1), date(2024, 8, 10), 10)


def test_more_days_than_the_month_has_in_service_rejects_the_line_with_the_reason() -> None:
    [], [rejection] = parse(line("06-2019", 20))
    assert rejection.field == "days_paid"
    assert rejection.reason == (
        "days_paid: 20 days paid in 06-2019, but service that month is 16-30 (15 days)"
    )


def test_a_month_before_joining_or_after_leaving_rejects_the_line() -> None:
    drafts, rejections = parse(line("05-2019", 31), line("09-2024", 30, left="10-08-2024"))
    assert drafts == []
    assert [r.reason for r in rejections] == [
        "month: 05-2019 is before the date of joining 16-06-2019",
        "month: 09-2024 is after the date of leaving 10-08-2024",
    ]
