"""Rows no parser can take as they stand reject themselves, alone and with a reason: an
unclosed quote rejects its line and every later row is read, a value holding a line break
makes each line a row; control characters, lone surrogates, a bad column name, a value
past its length limit or nested too deep reject their row (its raw values kept, clipped)."""

from __future__ import annotations

import csv

import pytest

from ingest.domain import parsing
from ingest.domain.model import EmployeeDraft, ParseStats, Rejection
from tests.unit.ingest.rows import AS_OF, HKRNL_HEADER, hkrnl_row, parse_hkrnl


def test_an_unclosed_quote_that_swallows_the_file_is_one_reasoned_rejection() -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    lines = [HKRNL_HEADER, f'HK1,"{huge}', hkrnl_row("HK2")]
    stats = ParseStats()
    results = parse_hkrnl("\n".join(lines), stats)
    assert [r.field for r in results if isinstance(r, Rejection)] == ["row"]
    assert "not readable CSV" in repr(results)
    assert stats.received == stats.accepted + stats.rejected


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\x1b[2J"])
def test_control_characters_and_lone_surrogates_reject_their_field(bad: str) -> None:
    stats = ParseStats()
    records = [{"hkrnl_id": "HK1", "name": f"Ram{bad}", "date_of_birth": "12-05-1988"}]
    (rejection,) = list(parsing.parse_hkrnl_json(records, stats, as_of=AS_OF))
    assert isinstance(rejection, Rejection)
    assert rejection.field == "name"
    assert rejection.reason.startswith("name: ")
    assert "character 4" in rejection.reason
    assert rejection.raw["name"].startswith("Ram<U+")
    csv_stats = ParseStats()
    (row,) = parse_hkrnl(f"{HKRNL_HEADER}\n{hkrnl_row(name=f'Ram{bad}')}", csv_stats)
    assert isinstance(row, Rejection)
    assert row.field == "name"


def test_a_value_nested_past_the_limit_rejects_its_row() -> None:
    deep: list[object] = []
    for _ in range(900):
        deep = [deep]
    stats = ParseStats()
    records = [{"hkrnl_id": "HK1", "name": "Ram", "deployments": deep}]
    (rejection,) = list(parsing.parse_hkrnl_json(records, stats, as_of=AS_OF))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "row: deployments nests 901 levels deep; at most 3"


def test_a_field_past_its_length_limit_rejects_its_row_and_is_kept_clipped() -> None:
    stats = ParseStats()
    (rejection,) = parse_hkrnl(f"{HKRNL_HEADER}\n{hkrnl_row(name='R' * 201)}", stats)
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "name: is 201 characters long; at most 200"
    assert rejection.raw["name"].endswith("(201 characters, clipped)")


def test_a_bad_column_name_rejects_its_row_without_naming_it_as_the_field() -> None:
    stats = ParseStats()
    records = [{"hkrnl_id": "HK1", "k\ud800": "x" * 5000}]
    (rejection,) = list(parsing.parse_hkrnl_json(records, stats, as_of=AS_OF))
    assert isinstance(rejection, Rejection)
    assert rejection.field == "row"
    assert "lone surrogate" in rejection.reason
    assert "k<U+D800>" in rejection.raw


def test_an_unclosed_quote_rejects_its_line_and_every_later_row_is_read() -> None:
    """A quote left open used to swallow every later line into one rejected row."""
    stats = ParseStats()
    rows = [hkrnl_row("HK1"), hkrnl_row("HK2", name='"Ram, Kumar'), hkrnl_row("HK3")]
    items = parse_hkrnl("\n".join([HKRNL_HEADER, *rows, hkrnl_row("HK4")]), stats)
    assert stats.received == 4 == stats.accepted + stats.rejected
    drafts = sorted(i.source_employee_id for i in items if isinstance(i, EmployeeDraft))
    (rejection,) = [i for i in items if isinstance(i, Rejection)]
    assert drafts == ["HK1", "HK3", "HK4"]
    assert rejection.row_number == 2
    assert rejection.field == "row"
    assert "quote opened on this line is not closed" in rejection.reason


def test_a_quote_still_open_at_the_end_of_the_file_rejects_its_line() -> None:
    stats = ParseStats()
    items = parse_hkrnl(f'{HKRNL_HEADER}\n{hkrnl_row("HK1")}\n"HK2,Ram', stats)
    assert stats.received == 2
    assert stats.rejected == 1
    (rejection,) = [i for i in items if isinstance(i, Rejection)]
    assert rejection.row_number == 2
    assert "not closed" in rejection.reason


def test_a_value_holding_a_line_break_makes_each_line_a_row() -> None:
    stats = ParseStats()
    text = f'{HKRNL_HEADER}\n{hkrnl_row("HK1", name=chr(34) + "Ram")}\nKumar"\n{hkrnl_row("HK3")}'
    items = parse_hkrnl(text, stats)
    assert stats.received == 3 == stats.accepted + stats.rejected
    assert [i.source_employee_id for i in items if isinstance(i, EmployeeDraft)] == ["HK3"]
