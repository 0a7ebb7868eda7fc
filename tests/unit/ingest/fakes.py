"""Hand-written fakes of the ingest ports, for the use cases without servers."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from contracts.dlq import DeadLetter
from contracts.envelope import Envelope
from ingest.ports import Stored, Unpublished
from ingest.reports import BatchReport, Rejected
from ingest.services import Deps


class Versioned:
    def __init__(self) -> None:
        self.items: dict[str, Stored] = {}

    async def load(self, keys: Sequence[str]) -> dict[str, Stored]:
        return {k: self.items[k] for k in keys if k in self.items}

    async def save(self, items: Sequence[Stored]) -> int:
        for item in items:
            held = self.items.get(item.key)
            if held is None or held.source_version < item.source_version:
                self.items[item.key] = item
        return len(items)


class Links:
    async def find(self, keys: Iterable[str]) -> dict[str, set[str]]:
        return {}

    async def add(self, entries: Iterable[tuple[str, str]], new: Collection[str] = ()) -> None:
        return None


class Usage:
    async def codes_in_use(self) -> list[tuple[str, str, str, int]]:
        return []


class MasterCodes:
    async def known_codes(self) -> set[tuple[str, str]]:
        return set()


@dataclass
class QuarantineStore:
    rows: list[Rejected] = field(default_factory=list)

    async def add(self, rows: Sequence[Rejected]) -> None:
        self.rows.extend(rows)

    async def list(self, batch_id: str, skip: int, limit: int) -> list[Rejected]:
        return [r for r in self.rows if r.batch_id == batch_id][skip : skip + limit]


@dataclass
class BatchStore:
    reports: dict[str, BatchReport] = field(default_factory=dict)

    async def save(self, report: BatchReport) -> None:
        self.reports[report.batch_id] = report

    async def get(self, batch_id: str) -> BatchReport | None:
        return self.reports.get(batch_id)


@dataclass
class Publisher:
    """Refuses events whose key is in `refuse`; raises `fail` on the `fail_at`-th call."""

    refuse: set[str] = field(default_factory=set)
    fail: Exception | None = None
    fail_at: int = 1
    events: list[Envelope] = field(default_factory=list)
    letters: list[DeadLetter] = field(default_factory=list)
    calls: int = 0

    async def publish(self, topic: str, events: Sequence[Envelope]) -> list[Unpublished]:
        self.calls += 1
        if self.fail is not None and self.calls >= self.fail_at:
            raise self.fail
        refused = [Unpublished(e, "too large") for e in events if e.partition_key in self.refuse]
        self.events += [e for e in events if e.partition_key not in self.refuse]
        return refused

    async def dead_letter(self, topic: str, letters: Sequence[DeadLetter]) -> None:
        self.letters.extend(letters)


def deps(publisher: Publisher, chunk: int = 500) -> Deps:
    return Deps(
        employees=Versioned(),
        links=Links(),
        master=Versioned(),
        usage=Usage(),
        master_codes=MasterCodes(),
        quarantine=QuarantineStore(),
        batches=BatchStore(),
        publisher=publisher,
        chunk=chunk,
    )
