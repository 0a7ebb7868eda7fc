"""Generated hostile source data through the running ingest app on the real Kafka and
MongoDB: Aadhaar-like numbers anywhere in any text field, values and nesting near and past
each limit, every line ending, bytes that are not UTF-8 and control characters, and
duplicate ids with conflicting values. Every request gets a documented status (never a
500) and every report accounts for each row: received == accepted + rejected."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymongo import AsyncMongoClient

from contracts import topics
from ingest.app import create_app
from ingest.domain import columns
from ingest.domain.limits import FIELD_LIMITS, OTHER
from ingest.domain.table import JSON_DEPTH
from ingest.settings import IngestSettings
from servicekit.aadhaar import verhoeff_digit
from tests.factories import unique
from tests.factories.aadhaar import without_digests
from tests.factories.ingest import bearer, ingest_settings
from tests.helpers import serving
from tests.integration.ingest.topic_reading import end_offsets, read_to_end
from tests.pii_scan import aadhaar_like

PUSH_STATUSES = {200, 413, 422}
UPLOAD_STATUSES = {200, 413, 415, 422}
PUSH_LIMIT = 64 * 1024
FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT_FIELDS = ["name", "district", "department_code", "ddo_code", "office_code", "remarks"]
CSV_COLUMNS = ["hkrnl_id", "name", "date_of_birth", "date_of_joining", "mobile", "family_id"]
SEPARATORS = [" ", "-", " - ", "\u00a0", "\u2010", "\u200b", "  "]


@pytest.fixture
async def ingest(
    kafka_bootstrap: str, mongodb_uri: str, mongo: AsyncMongoClient[dict[str, Any]]
) -> AsyncIterator[tuple[httpx.AsyncClient, IngestSettings, Any]]:
    config = ingest_settings(kafka_bootstrap, mongodb_uri, max_push_bytes=PUSH_LIMIT)
    async with serving(create_app(config), "http://ingest", timeout=120) as client:
        yield client, config, mongo[config.mongodb_database]


def record(ref: str, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "hkrnl_id": ref,
        "name": "Sunita Devi",
        "date_of_birth": "12-05-1988",
        "date_of_joining": "01-04-2017",
        "mobile": "9812345678",
        "family_id": "AB12CD34",
        "ddo_code": "DDO-HSR-01",
    }
    values.update(fields)
    return values


async def push(client: httpx.AsyncClient, body: bytes) -> httpx.Response:
    headers = bearer("hkrnl") | {"Content-Type": "application/json"}
    response = await client.post("/v1/hkrnl/records", content=body, headers=headers)
    assert response.status_code in PUSH_STATUSES, response.text
    return response


def accounted(report: dict[str, Any], rows: int) -> None:
    assert report["received"] == rows
    assert report["received"] == report["accepted"] + report["rejected"]
    assert report["records"] == report["published"] + report["unchanged"] + report["stale"]


async def rejections(client: httpx.AsyncClient, report: dict[str, Any]) -> list[dict[str, Any]]:
    response = await client.get(report["rejections_url"], headers=bearer(report["source"]))
    found: list[dict[str, Any]] = response.json()
    assert len(found) == report["rejected"]
    return found


# --- Aadhaar-like numbers anywhere in any text field ---------------------------------

elevens = st.from_regex(r"\A[2-9][0-9]{10}\Z")
aadhaar = elevens.map(lambda body: body + verhoeff_digit(body))
wordy = st.text(st.characters(categories=("L", "Zs", "P")), max_size=12)


# Invisible between any two digits: bidi controls, combining marks, variation selectors.
INVISIBLE = ["\u202e", "\u2066", "\u0301", "\ufe0f", "\u2062", "\u034f"]
# Visible punctuation in the printed grouping 4-4-4 (no comma or quote: CSV cells).
PRINTED = [".", "_", ":", "\u00b7", "\uff0e", "+"]
SCRIPTS = {
    "ascii": "0123456789",
    "devanagari": "०१२३४५६७८९",
    "full-width": "０１２３４５６７８９",
    "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
    "circled": "⓪①②③④⑤⑥⑦⑧⑨",
}


@st.composite
def planted(draw: st.DrawFn) -> tuple[str, str]:
    """(text holding one valid Aadhaar-like number, the number's 12 digits): spread with
    spaces, dashes or invisible characters, or printed 4-4-4 with punctuation, in any
    script's digits."""
    number = draw(aadhaar)
    if draw(st.booleans()):
        cuts = sorted(set(draw(st.lists(st.integers(1, 11), max_size=4))))
        separator = draw(st.sampled_from(SEPARATORS + INVISIBLE))
        parts = [number[a:b] for a, b in zip([0, *cuts], [*cuts, 12], strict=True)]
    else:
        separator = draw(st.sampled_from(PRINTED))
        parts = [number[:4], number[4:8], number[8:]]
    shown = draw(st.sampled_from([number, separator.join(parts)]))
    script = SCRIPTS[draw(st.sampled_from(sorted(SCRIPTS)))]
    shown = shown.translate(str.maketrans("0123456789", script))
    before, after = draw(wordy), draw(wordy)
    return f"{before} {shown} {after}".strip(), number


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from(TEXT_FIELDS), planted(), st.booleans()), min_size=1, max_size=3
    )
)
async def test_an_aadhaar_number_anywhere_in_any_text_field_never_comes_out(
    ingest: tuple[httpx.AsyncClient, IngestSettings, Any],
    kafka_bootstrap: str,
    plants: list[tuple[str, tuple[str, str], bool]],
) -> None:
    client, _, db = ingest
    start = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    records = [
        record(unique("HK"), **{field: text}, **({} if valid else {"date_of_birth": "x"}))
        for field, (text, _), valid in plants
    ]
    response = await push(client, json.dumps(records, ensure_ascii=False).encode())

    report = response.json()
    accounted(report, len(records))
    assert sum(report["aadhaar_redacted"].values()) >= len(records)
    quarantined = await rejections(client, report)
    stored = [d for name in ("employees", "quarantine") async for d in db[name].find()]
    sent = await read_to_end(
        kafka_bootstrap,
        topics.EMPLOYEE_RECORDS,
        lambda b: b.get("batch_id") == report["batch_id"],
        since=start,
    )
    everything = without_digests([report, quarantined, stored, sent])
    seen = json.dumps(everything, ensure_ascii=False)
    for _, (_, number), _ in plants:
        assert number not in seen.replace(" ", "").replace("-", "")
    assert aadhaar_like(seen) == []


# --- values and nesting near and past each limit --------------------------------------


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


# --- every line ending; bytes that are not UTF-8; control characters -------------------

endings = st.sampled_from(["\n", "\r\n", "\r"])
controls = st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\ud800"])


@FUZZ
@given(
    st.integers(1, 6),
    st.lists(endings, min_size=7, max_size=7),
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from(CSV_COLUMNS[1:]), controls), max_size=2),
    st.one_of(st.none(), st.binary(min_size=1, max_size=3).filter(lambda b: b[0] >= 0x80)),
)
async def test_any_line_endings_control_characters_and_bad_bytes_are_accounted_for(
    ingest: tuple[httpx.AsyncClient, IngestSettings, Any],
    rows: int,
    line_ends: list[str],
    poisoned: list[tuple[int, str, str]],
    bad_bytes: bytes | None,
) -> None:
    client, _, _ = ingest
    lines = [",".join(CSV_COLUMNS)]
    poisoned_refs: set[str] = set()
    for row in range(rows):
        values = dict(zip(CSV_COLUMNS, record(unique("HK")).values(), strict=False))
        for target, column, char in poisoned:
            if target == row:
                values[column] = f"{values[column][:3]}{char}{values[column][3:]}"
                poisoned_refs.add(values["hkrnl_id"])
        lines.append(",".join(values[c] for c in CSV_COLUMNS))
    text = "".join(line + end for line, end in zip(lines, line_ends, strict=False))
    body = text.encode("utf-8", "surrogatepass")
    inserted = range(len(body) // 2, len(body) // 2 + len(bad_bytes or b""))
    if bad_bytes is not None:
        body = body[: inserted.start] + bad_bytes + body[inserted.start :]
    response = await client.post("/v1/uploads/hkrnl", content=body, headers=bearer("hkrnl"))

    assert response.status_code in UPLOAD_STATUSES, response.text
    spans = line_spans(body)
    touched = {
        n for n, (start, end) in enumerate(spans) if start < inserted.stop and end > inserted.start
    }
    bad_at = first_undecodable(body)
    if bad_at is not None:
        assert response.status_code == 422, "bytes that are not UTF-8 were accepted"
        line = 1 + len(EOL_BYTES.findall(body[:bad_at]))
        detail = response.json()["detail"]
        assert f"is not UTF-8: byte 0x{body[bad_at]:02X} on line {line} " in detail
        return
    if response.status_code == 422:  # valid UTF-8 inserted into a column name
        assert 0 in touched, response.text
        return
    assert response.status_code == 200, response.text
    report = response.json()
    accounted(report, len(spans) - 1)
    rejected = {r["row_number"]: r for r in await rejections(client, report)}
    expected = {
        n
        for n, (start, end) in enumerate(spans)
        if any(ref.encode() in body[start:end] for ref in poisoned_refs)
    }
    assert set(rejected) - touched == expected - touched
    assert all("character" in r["reason"] for n, r in rejected.items() if n not in touched)


EOL_BYTES = re.compile(rb"\r\n|\r|\n")


def first_undecodable(body: bytes) -> int | None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return None


def line_spans(body: bytes) -> list[tuple[int, int]]:
    """Where each line of `body` starts and ends (CR LF, LF or a lone CR end one; UTF-8 never
    holds those bytes inside a character). Line 0 is the header; line n is row n."""
    spans, start = [], 0
    for ending in EOL_BYTES.finditer(body):
        spans.append((start, ending.start()))
        start = ending.end()
    if start < len(body):
        spans.append((start, len(body)))
    return spans


# --- duplicate ids with conflicting values -------------------------------------------


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from("6789")), min_size=1, max_size=8))
async def test_duplicate_ids_keep_the_first_and_reject_each_conflict_naming_it(
    ingest: tuple[httpx.AsyncClient, IngestSettings, Any], rows: list[tuple[int, str]]
) -> None:
    client, _, _ = ingest
    refs = [unique("HK") for _ in range(3)]
    records = [record(refs[i], mobile=f"981234567{last}") for i, last in rows]
    response = await push(client, json.dumps(records).encode())

    report = response.json()
    accounted(report, len(records))
    first: dict[int, tuple[int, str]] = {}
    expected: dict[int, int] = {}
    for number, (i, last) in enumerate(rows, start=1):
        if i not in first:
            first[i] = (number, last)
        elif first[i][1] != last:
            expected[number] = first[i][0]
    rejected = await rejections(client, report)
    assert {r["row_number"]: r["reason"] for r in rejected}.keys() == expected.keys()
    for r in rejected:
        assert f"conflicting_duplicate: row {expected[r['row_number']]} " in r["reason"]
    assert report["published"] == len(first)
    assert report["unchanged"] == len(rows) - len(first) - len(expected)
