"""e-Billing lines aggregate per employee wherever they stand in the file: a service
period per month with its object code, the latest month's lines adding up to the
remuneration. A bad line (days paid past its month's length, a negative amount) rejects
that line only, naming the field."""

from __future__ import annotations

from datetime import date

from ingest.domain.model import EmployeeDraft, ParseStats, Rejection
from tests.unit.ingest.rows import eb_line, parse_eb


def test_ebilling_lines_anywhere_in_the_file_aggregate_per_employee() -> None:
    lines = [
        eb_line("E1", "05-2024"),
        eb_line("E2", "05-2024"),
        eb_line("E1", "07-2024", "01", "31", "16500"),
        eb_line("E1", "06-2024", "87", "29"),
    ]
    stats = ParseStats()
    drafts = {
        d.source_employee_id: d for d in parse_eb(lines, stats) if isinstance(d, EmployeeDraft)
    }
    e1 = drafts["E1"]
    assert e1.employee_id() == "ebilling:E1"
    assert e1.part == "II"
    assert e1.row_number == 1
    assert [(p.start, p.end, p.days_paid, p.object_code) for p in e1.service_periods] == [
        (date(2024, 5, 1), date(2024, 5, 31), 30, "69"),
        (date(2024, 6, 1), date(2024, 6, 30), 29, "87"),
        (date(2024, 7, 1), date(2024, 7, 31), 31, "01"),
    ]
    assert e1.object_codes == ("01", "69", "87")
    assert e1.monthly_remuneration == 16500
    assert (stats.received, stats.accepted, stats.rejected, stats.employees) == (4, 4, 0, 2)


def test_one_bad_ebilling_line_rejects_that_line_only() -> None:
    lines = [
        eb_line("E1", "05-2024"),
        eb_line("E1", "06-2024", days="35"),
        eb_line("E1", "07-2024", amount="-1"),
    ]
    stats = ParseStats()
    results = parse_eb(lines, stats)
    rejections = [r for r in results if isinstance(r, Rejection)]
    assert [(r.row_number, r.field, r.employee_ref) for r in rejections] == [
        (2, "days_paid", "E1"),
        (3, "amount", "E1"),
    ]
    (draft,) = [d for d in results if isinstance(d, EmployeeDraft)]
    assert len(draft.service_periods) == 1
    assert draft.monthly_remuneration == 15000
    assert (stats.received, stats.accepted, stats.rejected, stats.employees) == (3, 1, 2, 1)


def test_days_paid_beyond_the_months_length_are_rejected_naming_field_and_month() -> None:
    lines = [
        eb_line("E1", "02-2024", days="30"),
        eb_line("E1", "02-2024", days="29"),
        eb_line("E1", "02-2023", days="29"),
        eb_line("E1", "04-2024", days="31"),
    ]
    results = parse_eb(lines, ParseStats())
    rejections = [r for r in results if isinstance(r, Rejection)]
    assert [(r.row_number, r.field) for r in rejections] == [
        (1, "days_paid"),
        (3, "days_paid"),
        (4, "days_paid"),
    ]
    assert rejections[0].reason == "days_paid: 30 is more than the 29 days of Feb 2024"
    assert rejections[2].reason == "days_paid: 31 is more than the 30 days of Apr 2024"


def test_lines_of_the_latest_month_add_up_to_its_remuneration() -> None:
    lines = [eb_line("E1", "07-2024", amount="10000"), eb_line("E1", "07-2024", amount="2500")]
    (draft,) = parse_eb(lines, ParseStats())
    assert isinstance(draft, EmployeeDraft)
    assert draft.monthly_remuneration == 12500
