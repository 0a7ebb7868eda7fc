"""Property tests: whatever the bytes, they decode to lines or are refused naming the line;
a whole upload or push body is either parsed into drafts and reasoned rejections whose
counts add up, or refused with a reason (HTTP 422/413), never anything else."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ingest.domain import parsing
from ingest.domain.columns import MissingColumnsError
from ingest.domain.encoding import EncodingError, check_encoding
from ingest.domain.model import EmployeeDraft, MasterEntity, ParseStats
from ingest.uploads import PushTooLargeError, parse_file, parse_push, push_records
from tests.fuzz.ingest.parser_inputs import (
    EBILLING,
    HKRNL,
    MASTER,
    SETTINGS,
    check,
    hkrnl_like,
    json_values,
    refused_or,
    table,
)


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
