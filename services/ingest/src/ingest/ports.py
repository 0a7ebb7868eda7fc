"""The ports the ingest use cases depend on; adapters implement them."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from contracts.dlq import DeadLetter
from contracts.envelope import Envelope
from ingest.reports import BatchReport, Rejected


@dataclass(frozen=True)
class Stored:
    """What ingest last accepted for one key (an employee id or `<type>:<code>`).

    `content_hash` covers everything a consumer sees except envelope, batch and row, so a
    re-sent file is recognised as unchanged. `record` holds the published fields, so an
    earlier record can be republished when a link to it is found.
    """

    key: str
    source_version: int
    content_hash: str
    record: Mapping[str, Any] = field(default_factory=dict)


class VersionedStore(Protocol):
    """Latest accepted version and content per key; writes never move a key backwards."""

    async def load(self, keys: Sequence[str]) -> dict[str, Stored]:
        """The stored state of those keys that exist."""

    async def save(self, items: Sequence[Stored]) -> int:
        """Write each item unless an equal or newer version is stored; returns how many
        took effect (a concurrent newer write wins)."""


class LinkIndex(Protocol):
    """Employee ids by identity key: (Family ID, mobile) and (name, date of birth, Family ID)."""

    async def find(self, keys: Iterable[str]) -> dict[str, set[str]]:
        """Employee ids filed under each of `keys` (absent keys are left out)."""

    async def add(self, entries: Iterable[tuple[str, str]], new: Collection[str] = ()) -> None:
        """File each (key, employee id); idempotent. `new` are keys the index did not hold
        when read (`find`): they may be written as new entries, which is cheaper; one filed
        meanwhile by another upload is still added to."""


class UsageReader(Protocol):
    async def codes_in_use(self) -> list[tuple[str, str, str, int]]:
        """(source, entity type, code, employees) for every code employee records use."""


class MasterReader(Protocol):
    async def known_codes(self) -> set[tuple[str, str]]:
        """(entity type, code) of every active master-data entity."""


class Quarantine(Protocol):
    """Rejected rows, kept with their reason; nothing is silently dropped."""

    async def add(self, rows: Sequence[Rejected]) -> None: ...

    async def list(self, batch_id: str, skip: int, limit: int) -> list[Rejected]: ...


class Batches(Protocol):
    async def save(self, report: BatchReport) -> None: ...

    async def get(self, batch_id: str) -> BatchReport | None: ...


@dataclass(frozen=True)
class Unpublished:
    """An event Kafka refused for what it is (too large, say), not for being away: it
    can never be published as it is, so its row becomes a reasoned rejection."""

    event: Envelope
    reason: str


class Publisher(Protocol):
    """Kafka, seen from the use cases."""

    async def publish(self, topic: str, events: Sequence[Envelope]) -> list[Unpublished]:
        """Publish every event under its key; returns once all are acknowledged, with the
        events refused for good (every other failure raises)."""

    async def dead_letter(self, topic: str, letters: Sequence[DeadLetter]) -> None:
        """Publish dead letters to `topic` (a `.dlq` topic), keyed by their source key."""
