"""Property tests: whatever the CSV, the HKRNL, e-Billing and master parsers yield drafts
or reasoned rejections, never crash, and their counts add up (e-Billing lines to the
periods of their employees); a file without a required column is refused whole, naming
it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import given

from ingest.domain import parsing
from ingest.domain.columns import MissingColumnsError
from ingest.domain.model import EmployeeDraft, MasterEntity, ParseStats
from tests.fuzz.ingest.parser_inputs import EBILLING, HKRNL, MASTER, SETTINGS, check, table


def whole_file(call: Callable[[], list[Any]]) -> list[Any] | None:
    """What `call` returns, or None when it refuses a CSV for a missing required column
    (the file is refused whole, naming the column: a reasoned refusal)."""
    try:
        return call()
    except MissingColumnsError as error:
        reason = str(error)
    assert "is refused: no " in reason
    return None


@SETTINGS
@given(table(HKRNL))
def test_hkrnl_csv_never_crashes_and_counts_add_up(lines: list[str]) -> None:
    stats = ParseStats()
    results = whole_file(lambda: list(parsing.parse_hkrnl_csv(lines, stats, date(2024, 8, 15))))
    if results is None:
        return
    check(results, stats, EmployeeDraft)
    assert stats.employees == stats.accepted


@SETTINGS
@given(table(EBILLING))
def test_ebilling_csv_never_crashes_and_lines_add_up(lines: list[str]) -> None:
    stats = ParseStats()
    results = whole_file(lambda: list(parsing.parse_ebilling_csv(lines, stats)))
    if results is None:
        return
    check(results, stats, EmployeeDraft)
    drafts = [r for r in results if isinstance(r, EmployeeDraft)]
    assert stats.employees == len(drafts) <= stats.accepted
    assert sum(len(d.service_periods) for d in drafts) == stats.accepted


@SETTINGS
@given(table(MASTER))
def test_master_csv_never_crashes_and_counts_add_up(lines: list[str]) -> None:
    stats = ParseStats()
    results = whole_file(lambda: list(parsing.parse_master(lines, stats)))
    if results is not None:
        check(results, stats, MasterEntity)
