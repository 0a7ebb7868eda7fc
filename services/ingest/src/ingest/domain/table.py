"""Rows out of streamed CSV text or JSON records, with Aadhaar-like columns removed
before anything else sees them. Pure: no I/O, lines come in, rows go out."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from ingest.domain import columns
from ingest.domain.encoding import Decoder, EncodingError, refusal
from ingest.domain.model import ParseStats
from ingest.domain.normalise import is_aadhaar_header, looks_like_aadhaar
from ingest.domain.redaction import redact_cells, redact_header

_EOL = re.compile(r"\r\n|\r|\n")
JSON_DEPTH = 3  # a deployment list of {from, to} objects is 2
SNIFF_ROWS = 50  # rows inspected to decide whether an unnamed column holds Aadhaar numbers
_PHONE_WORDS = ("mobile", "phone")


@dataclass(frozen=True)
class Row:
    """One data row: `cells` keyed by normalised header, Aadhaar-like values removed.
    `complete` is False when the row has a different number of cells than the header.
    `redacted` counts, per field, the Aadhaar-like numbers removed from its text."""

    number: int
    cells: dict[str, str]
    complete: bool
    problem: str = ""
    redacted: dict[str, int] = field(default_factory=dict)
    problem_field: str = "row"


# JSON values that are not text: a list or object only as deployments, true/false only
# as the master data's `active`; anywhere else str() would make text of them silently
# (["a"] read as the id "a", true as the id "True").
_LISTS_IN = frozenset({"deployments"})
_BOOLEANS_IN = frozenset({"active"})


def _kind_problem(key: str, value: Any) -> str | None:
    if key not in columns.FIELDS:
        return None  # a key that names no field is ignored, whatever it holds
    if isinstance(value, list | dict) and key not in _LISTS_IN:
        return f"is a JSON {'list' if isinstance(value, list) else 'object'}, not a value"
    if isinstance(value, bool) and key not in _BOOLEANS_IN:
        return f"is the JSON {'true' if value else 'false'}, not a value"
    return None


def read_text_lines(chunks: Iterable[bytes], encoding: str = "utf-8-sig") -> Iterator[str]:
    """Decode incrementally (UTF-8 by default, BOM stripped); yield lines without their
    ending: CR LF, LF or a lone CR. Bytes that are not of the encoding raise
    `EncodingError` naming the line (`check_encoding` finds it before anything is read)."""
    decoder = Decoder(encoding)
    pending, line = "", 1
    for chunk in chunks:
        try:
            pending += decoder.decode(chunk)
        except UnicodeDecodeError as error:
            start = line + len(_EOL.findall(pending))
            raise refusal(encoding, error, chunk, start, pending.endswith("\r")) from error
        held = "\r" if pending.endswith("\r") else ""  # a CR LF may be cut between chunks
        *lines, pending = _EOL.split(pending.removesuffix(held))
        pending += held
        line += len(lines)
        yield from lines
    try:
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:  # the input ends inside a multi-byte sequence
        raise EncodingError(encoding, error, line + len(_EOL.findall(pending))) from error
    *lines, last = _EOL.split(pending)
    yield from lines
    if last:
        yield last


def header_key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _phone(name: str) -> bool:
    return any(word in name for word in _PHONE_WORDS)


def _note_dropped(stats: ParseStats, names: Iterable[str]) -> None:
    for name in names:
        if name not in stats.dropped_columns:
            stats.dropped_columns.append(name)


def _aadhaar_columns(header: list[str], sample: list[list[str]]) -> set[int]:
    named = {i for i, h in enumerate(header) if is_aadhaar_header(h)}
    for i, name in enumerate(header):
        if i in named:
            continue
        phone = _phone(header_key(name))
        values = [r[i].strip() for r in sample if i < len(r) and r[i].strip()]
        if values and 2 * sum(looks_like_aadhaar(v, phone) for v in values) >= len(values):
            named.add(i)
    return named


def _records(lines: Iterable[str]) -> Iterator[list[str] | str]:
    """CSV records, one per line; a record the csv module cannot read comes out as an
    error text.

    A quote left open would make the csv module read on, through every later line, as
    one value: the rows after it vanished inside one rejected row. So a record spread
    over more than one line is read again line by line, each line a row of its own
    (a value holding a line break is not one of these sources' values)."""
    read: list[str] = []

    def source() -> Iterator[str]:
        for line in lines:
            read.append(line)
            yield line

    reader = csv.reader(source())
    while True:
        try:
            record: list[str] | str = next(reader)
        except StopIteration:
            if len(read) > 1:  # the file ended inside a quote
                yield from _line_by_line(read)
            return
        except csv.Error as error:
            record = f"is not readable CSV ({error})"
        if len(read) > 1 or (read and '"' in read[0] and not isinstance(record, str)):
            yield from _line_by_line(read)  # (one line: the file may end inside a quote)
        else:
            yield record
        read.clear()


_UNCLOSED = "is not readable CSV (a quote opened on this line is not closed on it)"


def _line_by_line(lines: list[str]) -> Iterator[list[str] | str]:
    for line in lines:
        try:
            yield next(csv.reader([line], strict=True), [])
        except csv.Error:
            yield _UNCLOSED


def _blank(cells: list[str] | str) -> bool:
    return not isinstance(cells, str) and not any(c.strip() for c in cells)


def csv_rows(lines: Iterable[str], stats: ParseStats) -> Iterator[Row]:
    """Data rows of a CSV (1-based, header not counted; blank lines skipped)."""
    records = _records(lines)
    header = next((r for r in records if not isinstance(r, str) and not _blank(r)), None)
    if header is None:
        return
    header = redact_header(header, stats)
    sample: list[list[str] | str] = []
    for cells in records:
        if not _blank(cells):
            sample.append(cells)
        if len(sample) >= SNIFF_ROWS:
            break
    dropped = _aadhaar_columns(header, [r for r in sample if not isinstance(r, str)])
    _note_dropped(stats, (header[i].strip() for i in sorted(dropped)))
    keys = [header_key(h) for h in header]
    if stats.source:  # the source's column names; may refuse the file
        keys = columns.csv_keys(stats.source, header, keys, dropped, stats)
    kept = [i for i in range(len(header)) if i not in dropped]
    number = 0
    for cells in chain(sample, records):
        if _blank(cells):
            continue
        number += 1
        if isinstance(cells, str):
            yield Row(number, {}, False, cells)
            continue
        values = {keys[i]: cells[i] for i in kept if i < len(cells)}
        for extra in range(len(header), len(cells)):
            values[f"column_{extra + 1}"] = cells[extra]
        clean, redacted = redact_cells(values)
        yield Row(number, clean, len(cells) == len(header), redacted=redacted)


def json_rows(records: Iterable[dict[str, Any]], stats: ParseStats) -> Iterator[Row]:
    """JSON records as rows (number = index + 1); Aadhaar keys dropped per record, and
    Aadhaar-like numbers anywhere in a value (nested lists and objects too) redacted."""
    for index, record in enumerate(records):
        values: dict[str, str] = {}
        problem, problem_field = "", "row"
        for conflict in getattr(record, "conflicts", ())[:1]:
            problem_field = header_key(conflict)
            if problem_field in columns.FIELDS:
                problem = "is given twice in the record, with different values"
            else:  # a key that names no field is never quoted (it may hold anything)
                problem, problem_field = "a key is given twice, with different values", "row"
        for name, value in record.items() if isinstance(record, dict) else ():
            if is_aadhaar_header(str(name)):
                _note_dropped(stats, redact_header([str(name)], stats))
                continue
            key = header_key(str(name))
            if (depth := nesting(value)) > JSON_DEPTH:
                values[key] = f"[{depth} levels deep, not kept]"
                problem = problem or f"{key} nests {depth} levels deep; at most {JSON_DEPTH}"
                continue
            if not problem and (kind := _kind_problem(key, value)):
                problem, problem_field = kind, key
            values[key] = _flat(value)
        clean, redacted = redact_cells(values)
        yield Row(index + 1, clean, isinstance(record, dict), problem, redacted, problem_field)


def nesting(value: Any) -> int:
    """How deep lists and objects nest in a JSON value (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, list | dict):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((v, depth) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def _flat(value: Any) -> str:
    """A JSON value as text; deployment lists become 'from:to;from:to'."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(_flat_period(v) for v in value)
    return str(value)


def _flat_period(value: Any) -> str:
    if isinstance(value, dict):
        return f"{_flat(value.get('from'))}:{_flat(value.get('to'))}"
    return _flat(value)
