"""Property tests: whatever the input, every parser yields drafts or reasoned rejections,
never crashes, and its counts add up."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.domain import parsing
from ingest.domain.model import EmployeeDraft, MasterEntity, ParseStats, Rejection

HKRNL = [
    "hkrnl_id",
    "name",
    "date_of_birth",
    "date_of_joining",
    "mobile",
    "family_id",
    "department_code",
    "office_code",
    "post_code",
    "ddo_code",
    "district",
    "monthly_remuneration",
    "employment",
    "scheme",
    "deployments",
]
EBILLING = [
    "employee_code",
    "name",
    "ddo_code",
    "treasury",
    "head_of_account",
    "month",
    "days_paid",
    "amount",
    "mobile",
    "family_id",
    "date_of_birth",
    "date_of_joining",
    "department_code",
]
MASTER = ["entity_type", "code", "name", "parent_type", "parent_code", "active"]

plausible = st.sampled_from(
    [
        "",
        "HK1",
        "E1",
        "Ramesh",
        "राम",
        "01-04-2016",
        "2016-04-01",
        "43831",
        "31-13-2019",
        "9812345678",
        "+91 98123 45678",
        "AB12CD34",
        "2345 6789 0123",
        "-5",
        "35",
        "30",
        "15000",
        "05-2024",
        "2210-01-110-99-69",
        "full_time",
        "CSS",
        "office",
        "ddo",
        "HLT",
        "Y",
        "N",
        "01-04-2016:31-03-2020;01-04-2020:",
        "01-04-2020:01-01-2019",
        "x:y",
        '"',
        "\r",
    ]
)
cell = st.one_of(plausible, st.text(max_size=12))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def table(columns: list[str]) -> st.SearchStrategy[list[str]]:
    rows = st.lists(
        st.lists(cell, min_size=len(columns) - 1, max_size=len(columns) + 1), max_size=8
    )

    def render(body: list[list[str]]) -> list[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(body)
        return out.getvalue().splitlines()

    return rows.map(render)


def check(results: list[Any], stats: ParseStats, kind: type) -> None:
    assert stats.received == stats.accepted + stats.rejected
    rejections = [r for r in results if isinstance(r, Rejection)]
    assert len(rejections) == stats.rejected
    for rejection in rejections:
        assert rejection.reason.startswith(f"{rejection.field}:")
        assert rejection.row_number >= 1
        assert "2345 6789 0123" not in repr(rejection.raw)
    assert all(isinstance(r, Rejection | kind) for r in results)
    assert "2345 6789 0123" not in repr([r for r in results if isinstance(r, kind)])


@SETTINGS
@given(table(HKRNL))
def test_hkrnl_csv_never_crashes_and_counts_add_up(lines: list[str]) -> None:
    stats = ParseStats()
    results = list(parsing.parse_hkrnl_csv(lines, stats, as_of=date(2024, 8, 15)))
    check(results, stats, EmployeeDraft)
    assert stats.employees == stats.accepted


@SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from([*HKRNL, "aadhaar", "x"]), cell), max_size=6))
def test_hkrnl_json_never_crashes_and_counts_add_up(records: list[dict[str, Any]]) -> None:
    stats = ParseStats()
    results = list(parsing.parse_hkrnl_json(records, stats, as_of=date(2024, 8, 15)))
    check(results, stats, EmployeeDraft)


@SETTINGS
@given(table(EBILLING))
def test_ebilling_csv_never_crashes_and_lines_add_up(lines: list[str]) -> None:
    stats = ParseStats()
    results = list(parsing.parse_ebilling_csv(lines, stats))
    check(results, stats, EmployeeDraft)
    drafts = [r for r in results if isinstance(r, EmployeeDraft)]
    assert stats.employees == len(drafts) <= stats.accepted
    assert sum(len(d.service_periods) for d in drafts) == stats.accepted


@SETTINGS
@given(table(MASTER))
def test_master_csv_never_crashes_and_counts_add_up(lines: list[str]) -> None:
    stats = ParseStats()
    check(list(parsing.parse_master(lines, stats)), stats, MasterEntity)


@SETTINGS
@given(st.binary(max_size=200), st.integers(min_value=1, max_value=17))
def test_any_bytes_decode_to_lines_without_crashing(data: bytes, size: int) -> None:
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    lines = list(parsing.read_text_lines(chunks))
    assert all("\n" not in line for line in lines)
