"""The parsers the ingest use cases call: streamed lines or JSON records in, drafts,
master entities and rejections out, counted in `ParseStats`.

Counts: `received == accepted + rejected` once a generator is exhausted. They count
rows (HKRNL, master) or payment lines (e-Billing); `stats.employees` counts the drafts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, TypeVar

from ingest.domain import columns, ebilling, hkrnl, limits, master
from ingest.domain.duplicates import FirstSeen
from ingest.domain.model import EmployeeDraft, MasterEntity, ParseStats, Rejection
from ingest.domain.normalise import FieldError
from ingest.domain.redaction import check_ids, merge, tally, with_redactions
from ingest.domain.table import Row, csv_rows, json_rows, read_text_lines

__all__ = [
    "parse_ebilling_csv",
    "parse_hkrnl_csv",
    "parse_hkrnl_json",
    "parse_master",
    "parse_master_json",
    "read_text_lines",
]

T = TypeVar("T")


def _reject(row: Row, error: FieldError, ref: str | None, stats: ParseStats) -> Rejection:
    stats.rejected += 1
    ref = None if ref is None else limits.clip_text(ref, limits.CODE)
    raw = limits.clip(row.cells)
    return Rejection(row.number, error.field, error.reason, ref, raw, dict(row.redacted))


def _check_shape(row: Row) -> None:
    if row.problem:
        raise FieldError(row.problem_field, row.problem)
    if not row.complete:
        raise FieldError("row", "has a different number of columns than the header")
    limits.check(row.cells)
    check_ids(row.redacted)


def _each(
    rows: Iterable[Row],
    stats: ParseStats,
    build: Callable[[Row], T],
    ref: Callable[[dict[str, str]], str | None],
) -> Iterator[T | Rejection]:
    for row in rows:
        stats.received += 1
        tally(stats, row.redacted)
        try:
            _check_shape(row)
            item = build(row)
        except FieldError as error:
            yield _reject(row, error, ref(row.cells), stats)
            continue
        stats.accepted += 1
        yield item


def _hkrnl(
    rows: Iterable[Row], stats: ParseStats, as_of: date | None
) -> Iterator[EmployeeDraft | Rejection]:
    today = as_of or date.today()
    seen = FirstSeen()

    def build(row: Row) -> EmployeeDraft:
        draft = with_redactions(hkrnl.draft(row.cells, row.number, today), row.redacted)
        seen.check(draft.source_employee_id, "hkrnl_id", row.number, dict(draft))
        return draft

    for item in _each(rows, stats, build, hkrnl.employee_ref):
        if isinstance(item, EmployeeDraft):
            stats.employees += 1
        yield item


def parse_hkrnl_csv(
    lines: Iterable[str], stats: ParseStats, as_of: date | None = None
) -> Iterator[EmployeeDraft | Rejection]:
    """HKRNL Part-I CSV rows. An open deployment ends at `as_of` (default: today)."""
    stats.source = "hkrnl"
    return _hkrnl(csv_rows(lines, stats), stats, as_of)


def parse_hkrnl_json(
    records: Iterable[dict[str, Any]], stats: ParseStats, as_of: date | None = None
) -> Iterator[EmployeeDraft | Rejection]:
    """HKRNL Part-I JSON records (a push, or a JSON upload); row number = index + 1."""
    return _hkrnl(json_rows(columns.renamed("hkrnl", records, stats), stats), stats, as_of)


def parse_ebilling_csv(
    lines: Iterable[str], stats: ParseStats
) -> Iterator[EmployeeDraft | Rejection]:
    """e-Billing payment lines: rejections as they come, then one draft per employee code."""
    stats.source = "ebilling"
    aggregates: dict[str, ebilling.Aggregate] = {}
    redacted: dict[str, dict[str, int]] = {}  # per employee code, over its accepted lines
    for row in csv_rows(lines, stats):
        stats.received += 1
        tally(stats, row.redacted)
        try:
            _check_shape(row)
            item = ebilling.line(row.cells)
            ebilling.fold(aggregates, item, row.number)
        except FieldError as error:
            yield _reject(row, error, ebilling.employee_ref(row.cells), stats)
            continue
        if row.redacted:
            merge(redacted.setdefault(item.code, {}), row.redacted)
        stats.accepted += 1
    while aggregates:
        code, aggregate = aggregates.popitem()
        stats.employees += 1
        yield with_redactions(ebilling.draft(aggregate), redacted.pop(code, {}))


def _master_ref(cells: dict[str, str]) -> str | None:
    return cells.get("code") or None


def _master_builder() -> Callable[[Row], MasterEntity]:
    seen = FirstSeen()

    def build(row: Row) -> MasterEntity:
        entity = master.entity(row.cells, row.number)
        seen.check(f"{entity.entity_type}:{entity.code}", "code", row.number, dict(entity))
        return entity

    return build


def parse_master(lines: Iterable[str], stats: ParseStats) -> Iterator[MasterEntity | Rejection]:
    """Master-data CSV: entity_type, code, name, parent_type, parent_code, active."""
    stats.source = "master"
    return _each(csv_rows(lines, stats), stats, _master_builder(), _master_ref)


def parse_master_json(
    records: Iterable[dict[str, Any]], stats: ParseStats
) -> Iterator[MasterEntity | Rejection]:
    """Master-data JSON records with the same keys as the CSV columns."""
    rows = json_rows(columns.renamed("master", records, stats), stats)
    return _each(rows, stats, _master_builder(), _master_ref)
