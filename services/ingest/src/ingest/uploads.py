"""Turning an upload into parsed rows: the right parser per source, fed from a file
that is read in chunks (the request body is spooled, never held whole in memory)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any

from ingest.domain import parsing
from ingest.domain.encoding import DEFAULT, check_encoding
from ingest.domain.model import EmployeeDraft, MasterEntity, ParseStats, Rejection
from ingest.domain.records import json_object
from ingest.reports import UploadSource

CHUNK_BYTES = 64 * 1024
EmployeeItems = Iterator[EmployeeDraft | Rejection]
MasterItems = Iterator[MasterEntity | Rejection]


class PushTooLargeError(ValueError):
    """A JSON push with more records than allowed."""


def new_stats() -> ParseStats:
    return ParseStats()


def file_chunks(body: IO[bytes]) -> Iterator[bytes]:
    body.seek(0)
    while chunk := body.read(CHUNK_BYTES):
        yield chunk


def parse_file(
    source: UploadSource,
    body: IO[bytes],
    is_json: bool,
    stats: ParseStats,
    as_of: date,
    encoding: str = DEFAULT,
) -> EmployeeItems | MasterItems:
    """Rows of an uploaded file (CSV, or JSON for master data and HKRNL). An HKRNL
    deployment without an end runs to `as_of`, so a re-sent file reads the same. A CSV
    file is first checked to be all of `encoding` (`EncodingError` names the line)."""
    if is_json:
        body.seek(0)
        records = _json_records(body.read())
        if source == "master":
            return parsing.parse_master_json(records, stats)
        if source == "hkrnl":
            return parsing.parse_hkrnl_json(records, stats, as_of)
        raise ValueError("e-Billing exports are CSV; JSON is not accepted for them")
    check_encoding(file_chunks(body), encoding)
    lines = parsing.read_text_lines(file_chunks(body), encoding)
    if source == "hkrnl":
        return parsing.parse_hkrnl_csv(lines, stats, as_of)
    if source == "ebilling":
        return parsing.parse_ebilling_csv(lines, stats)
    return parsing.parse_master(lines, stats)


def parse_push(records: list[dict[str, Any]], stats: ParseStats, as_of: date) -> EmployeeItems:
    """Rows of an HKRNL JSON push."""
    return parsing.parse_hkrnl_json(records, stats, as_of)


def _json_records(payload: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(payload.decode("utf-8-sig"), object_pairs_hook=json_object)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"body is not valid UTF-8 JSON: {error}") from error
    except RecursionError:
        raise ValueError("body nests too deeply to be read as JSON") from None
    records: Iterable[Any] = [data] if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValueError("body must be one JSON object (a record) or an array of objects")
    return records


def push_records(payload: bytes, limit: int) -> list[dict[str, Any]]:
    """Records of an HKRNL JSON push: one object or an array of up to `limit`."""
    records = _json_records(payload)
    if len(records) > limit:
        raise PushTooLargeError(
            f"a push carries at most {limit} records; this one has {len(records)}: "
            "split it, or upload the file to /v1/uploads/hkrnl"
        )
    return records
