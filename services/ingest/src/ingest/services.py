"""Use cases of the ingest service: take parsed rows, publish what is new, quarantine
what is wrong, and report. No FastAPI or FastStream here; I/O goes through `ports`.

Publishing order: events go to Kafka first, then ingest's own state is written. If the
write fails after the publish, re-sending the file publishes the same events again
(same event ids and versions), which consumers drop as duplicates: nothing is lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

from ingest.domain.columns import MissingColumnsError
from ingest.domain.model import ParseStats, Rejection
from ingest.ports import (
    Batches,
    LinkIndex,
    MasterReader,
    Publisher,
    Quarantine,
    Unpublished,
    UsageReader,
    VersionedStore,
)
from ingest.quarantining import quarantine, refused_rows
from ingest.records import (
    Outcome,
    content_hash,
    version_of,
)
from ingest.reports import BatchReport, CodeGap, CompletenessReport, Rejected, UploadSource

T = TypeVar("T")
Clock = Callable[[], datetime]
PRODUCER = "ingest"
_POSITION = {"batch_id", "row_number"}


@dataclass(frozen=True)
class Deps:
    employees: VersionedStore
    links: LinkIndex
    master: VersionedStore
    usage: UsageReader
    master_codes: MasterReader
    quarantine: Quarantine
    batches: Batches
    publisher: Publisher
    chunk: int = 500


@dataclass(frozen=True)
class Batch:
    """One upload or push: everything in it carries `version` (its as-of time in ms)."""

    batch_id: str
    source: UploadSource
    file_name: str | None
    as_of: datetime
    started_at: datetime

    @property
    def version(self) -> int:
        return version_of(self.as_of)


@dataclass
class Tally:
    records: int = 0
    published: int = 0
    unchanged: int = 0
    stale: int = 0
    relinked: int = 0

    def count(self, outcome: Outcome) -> None:
        self.records += 1
        if outcome == "publish":
            self.published += 1
        elif outcome == "unchanged":
            self.unchanged += 1
        else:
            self.stale += 1

    def refused(self, count: int) -> None:
        """Records counted published that Kafka refused (their rows are now rejected)."""
        self.records -= count
        self.published -= count


class BatchFailedError(Exception):
    """A batch that stopped before its end (Kafka or MongoDB failed); `report` is what
    was stored of it (None when even that failed)."""

    def __init__(self, report: BatchReport | None) -> None:
        super().__init__(report.failure if report else "the batch report could not be stored")
        self.report = report


class Chunks:
    """Groups of `size` items, each pulled in a worker thread: parsing (an e-Billing file
    is aggregated before its first employee comes out) never blocks the event loop, and
    the next group is parsed while the current one is published and written.

    The parser counts rows in the batch's `ParseStats` as it goes: `settle` waits until
    the group being parsed is out, before anything else touches those counts."""

    def __init__(self, items: Iterable[T], size: int) -> None:
        iterator = iter(items)
        self._take: Callable[[], list[Any]] = lambda: list(islice(iterator, size))
        self._next: asyncio.Future[list[Any]] | None = None

    async def __anext__(self) -> list[Any]:
        pending = self._next or asyncio.ensure_future(asyncio.to_thread(self._take))
        chunk = await pending
        if not chunk:
            self._next = None
            raise StopAsyncIteration
        self._next = asyncio.ensure_future(asyncio.to_thread(self._take))
        return chunk

    def __aiter__(self) -> Chunks:
        return self

    async def settle(self) -> None:
        """Wait for the group being parsed; its failure, if any, comes with the next one."""
        if self._next is not None:
            await asyncio.wait({self._next})
            self._next.exception()  # retrieved: a batch that stops never logs it as lost


@dataclass(frozen=True)
class Publishing:
    """What differs between the kinds of record a batch publishes: their topic, their
    type, how a chunk of them is applied (returning those Kafka refused), the key and row
    of each, and how a refused record's key is read back from its fields."""

    topic: str
    kind: type[Any]
    apply: Callable[[Sequence[Any], Batch, Deps, Tally], Awaitable[list[Unpublished]]]
    key_and_row: Callable[[Any], tuple[str, int]]
    ref: Callable[[Mapping[str, Any]], str | None]


async def publish_all(
    items: Iterable[Any],
    stats: ParseStats,
    batch: Batch,
    deps: Deps,
    clock: Clock,
    how: Publishing,
) -> BatchReport:
    """Publish each new or changed record, quarantine and dead-letter each rejected row
    (and each row whose record Kafka refused), and store the batch report, also when the
    batch stops half-way (`BatchFailedError`)."""
    tally = Tally()
    groups = Chunks(items, deps.chunk)
    try:
        async for chunk in groups:
            records = [item for item in chunk if isinstance(item, how.kind)]
            rejections = [item for item in chunk if isinstance(item, Rejection)]
            await _quarantine(rejections, batch, deps, how.topic, clock)
            if records:
                refused = await how.apply(records, batch, deps, tally)
                rows = dict(how.key_and_row(record) for record in records)
                tally.refused(len(refused))
                if refused:
                    await groups.settle()  # the parser counts in `stats` too
                lost = refused_rows(refused, rows, how.ref, stats)
                await _quarantine(lost, batch, deps, how.topic, clock)
    except MissingColumnsError:
        raise  # the file's header lacks a required column: refused whole, nothing kept
    except Exception as error:
        await groups.settle()
        raise await _failed(stats, batch, tally, deps, clock, error) from error
    return await _finish(stats, batch, tally, deps, clock)


async def _failed(
    stats: ParseStats, batch: Batch, tally: Tally, deps: Deps, clock: Clock, error: Exception
) -> BatchFailedError:
    """Store what is known of a batch that stopped (only the error's type is named: an
    error's text may quote a stored value)."""
    failure = (
        f"stopped after {stats.received} rows ({type(error).__name__}); the rest was not"
        " read: send the same file again (what was published is recognised as unchanged)"
    )
    try:
        return BatchFailedError(await _finish(stats, batch, tally, deps, clock, failure))
    except Exception:
        return BatchFailedError(None)


async def _finish(
    stats: ParseStats,
    batch: Batch,
    tally: Tally,
    deps: Deps,
    clock: Clock,
    failure: str | None = None,
) -> BatchReport:
    report = BatchReport(
        batch_id=batch.batch_id,
        source=batch.source,
        file_name=batch.file_name,
        columns=dict(stats.columns),
        unrecognised_columns=list(stats.unrecognised_columns),
        missing_columns=list(stats.missing_columns),
        as_of=batch.as_of,
        received=stats.received,
        accepted=stats.accepted,
        rejected=stats.rejected,
        records=tally.records,
        published=tally.published,
        unchanged=tally.unchanged,
        stale=tally.stale,
        relinked=tally.relinked,
        dropped_columns=list(stats.dropped_columns),
        aadhaar_redacted=dict(stats.aadhaar_redacted),
        started_at=batch.started_at,
        finished_at=clock(),
        rejections_url=f"/v1/batches/{batch.batch_id}/rejections",
        failure=failure,
    )
    await deps.batches.save(report)
    return report


async def _quarantine(
    rejections: Sequence[Rejection], batch: Batch, deps: Deps, topic: str, clock: Clock
) -> None:
    await quarantine(rejections, batch, deps.quarantine, deps.publisher, topic, clock())


def _digest(record: dict[str, Any]) -> str:
    return content_hash({k: v for k, v in record.items() if k not in _POSITION})


async def completeness(deps: Deps, now: datetime) -> CompletenessReport:
    """Codes that employee records use (per source) but master data lacks: the
    drop-down gaps to be reported for correction."""
    known = await deps.master_codes.known_codes()
    gaps = [
        CodeGap.model_validate(
            {"source": source, "entity_type": kind, "code": code, "employees": count}
        )
        for source, kind, code, count in await deps.usage.codes_in_use()
        if (kind, code) not in known
    ]
    gaps.sort(key=lambda g: (g.source, g.entity_type, g.code))
    return CompletenessReport(generated_at=now, master_entities=len(known), gaps=gaps)


async def batch_report(deps: Deps, batch_id: str) -> BatchReport | None:
    """The stored report of a batch, or None when there is no such batch."""
    return await deps.batches.get(batch_id)


async def rejections(deps: Deps, batch_id: str, skip: int, limit: int) -> list[Rejected]:
    """The quarantined rows of a batch, in row order."""
    return await deps.quarantine.list(batch_id, skip, limit)
