"""A JSON record that says two things about one field, or gives a field a list or a
boolean where it takes a value, rejects its row naming the field: the JSON reader
would otherwise keep one of two keys silently, and str() make text of anything."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from ingest.domain import parsing
from ingest.domain.model import EmployeeDraft, ParseStats, Rejection
from ingest.uploads import push_records

AS_OF = date(2026, 1, 1)
PERSON = (
    '"hkrnl_id": "HK1", "name": "Ram", "date_of_birth": "12-05-1988",'
    ' "date_of_joining": "01-04-2016", "family_id": "AB12CD34"'
)


def _record(rest: str = "") -> str:
    return "[{" + PERSON + rest + "}]"


def _parsed(body: str) -> tuple[list[EmployeeDraft | Rejection], ParseStats]:
    stats = ParseStats()
    items = list(parsing.parse_hkrnl_json(push_records(body.encode(), 10), stats, AS_OF))
    assert stats.received == stats.accepted + stats.rejected
    return items, stats


def test_a_key_given_twice_with_different_values_rejects_its_row() -> None:
    (item,), _ = _parsed(_record(', "mobile": "9812345670", "mobile": "9812345671"'))
    assert isinstance(item, Rejection)
    assert item.field == "mobile"
    assert item.reason == "mobile: is given twice in the record, with different values"
    assert item.raw["mobile"] == "9812345670"  # the first is what is kept


def test_a_key_given_twice_with_the_same_value_is_one_value() -> None:
    (item,), _ = _parsed(_record(', "mobile": "9812345670", "mobile": "9812345670"'))
    assert isinstance(item, EmployeeDraft)
    assert item.mobile == "9812345670"


def test_two_names_of_one_field_saying_different_things_reject_the_row() -> None:
    body = _record(', "mobile": "9812345670", "Mobile No": "9812345671"')
    (item,), _ = _parsed(body)
    assert isinstance(item, Rejection)
    assert item.field == "mobile"


def test_a_key_naming_no_field_given_twice_is_not_quoted() -> None:
    body = _record(', "mobile": "9812345670", "x\\u0000y": 1, "x\\u0000y": 2')
    (item,), _ = _parsed(body)
    assert isinstance(item, Rejection)
    assert item.field == "row"
    assert item.reason == "row: a key is given twice, with different values"


@pytest.mark.parametrize(
    ("value", "kind"),
    [(["HK9"], "a JSON list"), ({"id": "HK9"}, "a JSON object"), (True, "the JSON true")],
)
def test_a_list_object_or_boolean_as_an_id_rejects_its_row(value: Any, kind: str) -> None:
    body = _record().replace('"HK1"', json.dumps(value))
    (item,), _ = _parsed(body)
    assert isinstance(item, Rejection)
    assert item.field == "hkrnl_id"
    assert item.reason.startswith(f"hkrnl_id: is {kind}, not a value")


def test_deployments_still_take_a_list_and_unknown_keys_anything() -> None:
    body = _record(
        ', "mobile": "9812345670", "remarks": [true, {"a": 1}],'
        ' "deployments": [{"from": "01-04-2016", "to": null}]'
    )
    (item,), _ = _parsed(body)
    assert isinstance(item, EmployeeDraft)
