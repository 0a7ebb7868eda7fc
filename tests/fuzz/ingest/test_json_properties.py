"""Property tests: whatever the JSON records, with keys of any column and values of any
type, the HKRNL and master parsers yield drafts or rejections naming the field, never
crash, and their counts add up; an Aadhaar number nested in a JSON value is redacted where
it is."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ingest.domain import parsing
from ingest.domain.model import EmployeeDraft, MasterEntity, ParseStats, Rejection
from tests.factories.aadhaar import grouped, valid_aadhaar
from tests.fuzz.ingest.parser_inputs import HKRNL, MASTER, SETTINGS, cell, check, hkrnl_like


@SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from([*HKRNL, "aadhaar", "x"]), cell), max_size=6))
def test_hkrnl_json_never_crashes_and_counts_add_up(records: list[dict[str, Any]]) -> None:
    stats = ParseStats()
    results = list(parsing.parse_hkrnl_json(records, stats, as_of=date(2024, 8, 15)))
    check(results, stats, EmployeeDraft)


@SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from(MASTER), cell), max_size=6))
def test_master_json_never_crashes_and_counts_add_up(records: list[dict[str, Any]]) -> None:
    stats = ParseStats()
    check(list(parsing.parse_master_json(records, stats)), stats, MasterEntity)


@SETTINGS
@given(st.lists(hkrnl_like, max_size=5))
def test_hkrnl_json_with_values_of_any_type_is_rejected_by_field_not_crashed(
    records: list[dict[str, Any]],
) -> None:
    stats = ParseStats()
    results = list(parsing.parse_hkrnl_json(records, stats, as_of=date(2024, 8, 15)))
    check(results, stats, EmployeeDraft)
    assert stats.received == len(records)


def test_an_aadhaar_number_nested_in_a_json_value_is_redacted_where_it_is() -> None:
    stats = ParseStats()
    number = grouped(valid_aadhaar("nested"))
    records = [{"hkrnl_id": ["x", number], "name": {"from": number}}]
    [rejection] = list(parsing.parse_hkrnl_json(records, stats, as_of=date(2024, 8, 15)))
    assert isinstance(rejection, Rejection)
    assert number not in repr(rejection)
    assert rejection.aadhaar_redacted == {"hkrnl_id": 1, "name": 1}
    assert stats.aadhaar_redacted == {"hkrnl_id": 1, "name": 1}
