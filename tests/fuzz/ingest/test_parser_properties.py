"""Property tests: whatever the input, every ingest parser yields drafts or reasoned
rejections, never crashes, and its counts add up; a whole upload or push body is either
parsed that way or refused with a reason (HTTP 422/413), never anything else. The
certification submission (its own JSON form field) is held to the same standard."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from certification.domain.model import Submission
from certification.http import _explain as explain_submission
from ingest.domain import parsing
from ingest.domain.columns import MissingColumnsError
from ingest.domain.encoding import EncodingError, check_encoding
from ingest.domain.model import EmployeeDraft, MasterEntity, ParseStats, Rejection
from ingest.generator import EBILLING_COLUMNS, HKRNL_COLUMNS, MASTER_COLUMNS
from ingest.uploads import PushTooLargeError, parse_file, parse_push, push_records
from tests.factories.aadhaar import grouped, valid_aadhaar
from tests.factories.certification import submission

# The columns the generator writes, Aadhaar columns included: the parsers must drop them.
HKRNL, EBILLING, MASTER = HKRNL_COLUMNS, EBILLING_COLUMNS, list(MASTER_COLUMNS)
T = TypeVar("T")
PLANTED = grouped(valid_aadhaar("fuzz"))  # passes the Verhoeff check: must never come out

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
        PLANTED,
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


def refused_or(call: Callable[[], T]) -> T | ValueError:
    """What `call` returns, or the ValueError it refuses the input with."""
    try:
        return call()
    except ValueError as error:
        return error


def whole_file(call: Callable[[], list[Any]]) -> list[Any] | None:
    """What `call` returns, or None when it refuses a CSV for a missing required column
    (the file is refused whole, naming the column: a reasoned refusal)."""
    try:
        return call()
    except MissingColumnsError as error:
        reason = str(error)
    assert "is refused: no " in reason
    return None


def check(results: list[Any], stats: ParseStats, kind: type) -> None:
    assert stats.received == stats.accepted + stats.rejected
    rejections = [r for r in results if isinstance(r, Rejection)]
    assert len(rejections) == stats.rejected
    for rejection in rejections:
        assert rejection.reason.startswith(f"{rejection.field}:")
        assert rejection.row_number >= 1
        assert PLANTED not in repr(rejection.raw)
    assert all(isinstance(r, Rejection | kind) for r in results)
    assert PLANTED not in repr([r for r in results if isinstance(r, kind)])


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
@given(st.lists(st.dictionaries(st.sampled_from([*HKRNL, "aadhaar", "x"]), cell), max_size=6))
def test_hkrnl_json_never_crashes_and_counts_add_up(records: list[dict[str, Any]]) -> None:
    stats = ParseStats()
    results = list(parsing.parse_hkrnl_json(records, stats, as_of=date(2024, 8, 15)))
    check(results, stats, EmployeeDraft)


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


@SETTINGS
@given(st.binary(max_size=200), st.integers(min_value=1, max_value=17))
def test_any_bytes_decode_to_lines_or_are_refused_naming_the_line(data: bytes, size: int) -> None:
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    refused = refused_or(lambda: check_encoding(chunks))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = 1 + len(re.findall(rb"\r\n|\r|\n", data[: error.start]))
        assert isinstance(refused, EncodingError), "bytes that are not UTF-8 were accepted"
        assert refused.line == line, str(refused)
        assert f" on line {line} cannot be decoded" in str(refused)
        read = refused_or(lambda: list(parsing.read_text_lines(chunks)))
        assert isinstance(read, EncodingError)
        assert read.line == line
        return
    assert not isinstance(refused, EncodingError)
    lines = list(parsing.read_text_lines(chunks))
    assert (
        lines
        == data.decode("utf-8-sig")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .split("\n")[: len(lines)]
    )
    assert all("\n" not in line and "\r" not in line for line in lines)


@SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from(MASTER), cell), max_size=6))
def test_master_json_never_crashes_and_counts_add_up(records: list[dict[str, Any]]) -> None:
    stats = ParseStats()
    check(list(parsing.parse_master_json(records, stats)), stats, MasterEntity)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | cell,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
hkrnl_like = st.dictionaries(st.sampled_from([*HKRNL, "aadhaar"]), json_values, max_size=8)


@SETTINGS
@given(st.lists(hkrnl_like, max_size=5))
def test_hkrnl_json_with_values_of_any_type_is_rejected_by_field_not_crashed(
    records: list[dict[str, Any]],
) -> None:
    stats = ParseStats()
    results = list(parsing.parse_hkrnl_json(records, stats, as_of=date(2024, 8, 15)))
    check(results, stats, EmployeeDraft)
    assert stats.received == len(records)


push_bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.lists(hkrnl_like, max_size=5).map(lambda value: json.dumps(value).encode()),
    hkrnl_like.map(lambda value: json.dumps(value).encode()),
)


@SETTINGS
@given(push_bodies, st.integers(min_value=1, max_value=4))
def test_any_push_body_is_parsed_or_refused_with_a_reason(body: bytes, limit: int) -> None:
    records = refused_or(lambda: push_records(body, limit))
    if isinstance(records, PushTooLargeError):
        assert f"at most {limit} records" in str(records)
        return
    if isinstance(records, ValueError):
        assert str(records).startswith("body ")
        return
    assert len(records) <= limit
    stats = ParseStats()
    check(list(parse_push(records, stats, date(2024, 8, 15))), stats, EmployeeDraft)
    assert stats.received == len(records)


@SETTINGS
@given(
    st.sampled_from(["hkrnl", "ebilling", "master"]),
    st.booleans(),
    st.one_of(
        st.binary(max_size=300),
        push_bodies,
        table(HKRNL).map(lambda lines: "\n".join(lines).encode()),
        table(EBILLING).map(lambda lines: "\r\n".join(lines).encode("utf-8-sig")),
        table(MASTER).map(lambda lines: "\n".join(lines).encode()),
    ),
)
def test_any_uploaded_file_is_parsed_or_refused_with_a_reason(
    source: Any, is_json: bool, body: bytes
) -> None:
    stats = ParseStats()
    kind = MasterEntity if source == "master" else EmployeeDraft
    results = refused_or(
        lambda: list(parse_file(source, io.BytesIO(body), is_json, stats, date(2024, 8, 15)))
    )
    if isinstance(results, EncodingError):
        assert not is_json
        assert " on line " in str(results)
        return
    if isinstance(results, ValueError):
        assert is_json or isinstance(results, MissingColumnsError), (
            "only a JSON body, or a CSV without a required column, is refused whole (a CSV"
            " also for its encoding); CSV rows are rejected one by one"
        )
        assert str(results)
        return
    check(results, stats, kind)


# --- the certification submission (a JSON form field of its own) ---------------------

VALID_SUBMISSION: dict[str, Any] = submission("DDO-1")
SUBMISSION_KEYS = sorted(VALID_SUBMISSION)


@st.composite
def submissions(draw: st.DrawFn) -> str:
    """A valid submission with a few keys dropped, replaced by any JSON value, or added;
    or any text at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=40))
    body = dict(VALID_SUBMISSION)
    for key in draw(st.lists(st.sampled_from(SUBMISSION_KEYS), max_size=3)):
        if draw(st.booleans()):
            body.pop(key, None)
        else:
            body[key] = draw(json_values)
    if draw(st.booleans()):
        body[draw(st.text(max_size=6))] = draw(json_values)
    text = json.dumps(body)
    return text[: draw(st.integers(len(text) // 2, len(text)))] if draw(st.booleans()) else text


@SETTINGS
@given(submissions())
def test_any_submission_is_valid_or_refused_naming_the_field(text: str) -> None:
    try:
        Submission.model_validate_json(text)
    except ValidationError as error:
        message = explain_submission(error)
        assert message.startswith("submission")
        for item in error.errors()[:5]:
            assert ".".join(["submission", *(str(p) for p in item["loc"])]) in message


def test_the_base_submission_of_the_submission_fuzzer_is_valid() -> None:
    assert Submission.model_validate_json(json.dumps(VALID_SUBMISSION)).covers


def test_an_aadhaar_number_nested_in_a_json_value_is_redacted_where_it_is() -> None:
    stats = ParseStats()
    number = grouped(valid_aadhaar("nested"))
    records = [{"hkrnl_id": ["x", number], "name": {"from": number}}]
    [rejection] = list(parsing.parse_hkrnl_json(records, stats, as_of=date(2024, 8, 15)))
    assert isinstance(rejection, Rejection)
    assert number not in repr(rejection)
    assert rejection.aadhaar_redacted == {"hkrnl_id": 1, "name": 1}
    assert stats.aadhaar_redacted == {"hkrnl_id": 1, "name": 1}
