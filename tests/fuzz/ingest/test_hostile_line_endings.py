"""Generated hostile source data through the running ingest app on the real Kafka and
MongoDB: uploads with any line endings, control characters in any column and bytes that
are not UTF-8 get a documented status (never a 500); bad bytes are refused naming the
line, and otherwise every row is accounted for, the poisoned ones rejected naming the
character."""

from __future__ import annotations

import re
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from ingest.settings import IngestSettings
from tests.factories import unique
from tests.factories.ingest import bearer
from tests.fuzz.ingest.hostile import FUZZ, accounted, record, rejections

UPLOAD_STATUSES = {200, 413, 415, 422}
CSV_COLUMNS = ["hkrnl_id", "name", "date_of_birth", "date_of_joining", "mobile", "family_id"]

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
