"""Generated hostile source data through the running ingest app on the real Kafka and
MongoDB: values and nesting near and past each limit are accepted, or rejected naming the
field, and a push body near its byte limit is read up to it and refused past it (413).
Every request gets a documented status and every report accounts for each row."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from ingest.domain import columns
from ingest.domain.limits import FIELD_LIMITS, OTHER
from ingest.domain.table import JSON_DEPTH
from ingest.settings import IngestSettings
from tests.factories import unique
from tests.fuzz.ingest.hostile import FUZZ, PUSH_LIMIT, accounted, push, record, rejections


@st.composite
def near_limits(draw: st.DrawFn) -> tuple[str, Any, bool]:
    """(field, value, whether it is past its limit) for length or nesting."""
    if draw(st.booleans()):
        field = draw(st.sampled_from([*FIELD_LIMITS, "remarks"]))
        limit = FIELD_LIMITS.get(field, OTHER)
        length = limit + draw(st.sampled_from([-1, 0, 1, 2, 1000]))
        return field, "7" * length if field != "name" else "R" * length, length > limit
    depth = JSON_DEPTH + draw(st.sampled_from([-1, 0, 1, 5, 900]))
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return draw(st.sampled_from(["remarks", "deployments", "scheme"])), value, depth > JSON_DEPTH


@FUZZ
@given(st.lists(near_limits(), min_size=1, max_size=4))
async def test_values_near_and_past_each_limit_are_accepted_or_rejected_naming_the_field(
    ingest: tuple[httpx.AsyncClient, IngestSettings, Any],
    cases: list[tuple[str, Any, bool]],
) -> None:
    client, _, _ = ingest
    records = [
        as_only_name(record(unique("HK"), **{field: value}), field) for field, value, _ in cases
    ]
    response = await push(client, json.dumps(records).encode())
    if response.status_code == 413:
        assert len(response.request.content) > PUSH_LIMIT
        return
    report = response.json()
    accounted(report, len(records))
    reasons = {r["row_number"]: r["reason"] for r in await rejections(client, report)}
    for row, (field, _, past) in enumerate(cases, start=1):
        if past:
            assert row in reasons
            names = {field, hkrnl_field(field)}
            assert reasons[row].startswith(
                tuple(f"{n}: is " for n in names) + tuple(f"row: {n} nests" for n in names)
            ), reasons[row]


def hkrnl_field(name: str) -> str:
    """The HKRNL field a push record's key names (`employee_id` is one name of `hkrnl_id`)."""
    for column in columns.SOURCES["hkrnl"]:
        if columns.squash(name) in {columns.squash(n) for n in column.names}:
            return column.field
    return name


def as_only_name(values: dict[str, Any], field: str) -> dict[str, Any]:
    """`values` with `field` as the only name of its field: a record giving one field under
    two names with different values is rejected for that, before any limit is checked."""
    canonical = hkrnl_field(field)
    if canonical != field:
        values.pop(canonical, None)
    return values


@FUZZ
@given(st.integers(PUSH_LIMIT - 64, PUSH_LIMIT + 64))
async def test_a_push_body_near_its_byte_limit_is_read_up_to_it_and_refused_past_it(
    ingest: tuple[httpx.AsyncClient, IngestSettings, Any], size: int
) -> None:
    client, _, _ = ingest
    head = json.dumps([record(unique("HK"), remarks="")]).encode()
    body = head.replace(b'"remarks": ""', b'"remarks": "' + b"r" * (size - len(head)) + b'"')
    assert len(body) == size
    response = await push(client, body)
    assert (response.status_code == 413) == (size > PUSH_LIMIT)
    if response.status_code == 200:
        accounted(response.json(), 1)
