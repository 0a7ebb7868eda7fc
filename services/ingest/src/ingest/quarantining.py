"""Rejected rows kept and dead-lettered, and rows whose record Kafka refused turned into
rejections, so that every row of a batch is accounted for whatever fails. No FastAPI or
FastStream here; I/O goes through `ports`."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from contracts.dlq import DeadLetter
from ingest.domain import limits
from ingest.domain.model import ParseStats, Rejection
from ingest.ports import Publisher, Quarantine, Unpublished
from ingest.records import scrub_raw
from ingest.reports import Rejected

PRODUCER = "ingest"
UNPUBLISHABLE = "unpublishable"


class BatchLike(Protocol):
    @property
    def batch_id(self) -> str: ...

    @property
    def source(self) -> Any: ...


async def quarantine(
    rejections: Sequence[Rejection],
    batch: BatchLike,
    store: Quarantine,
    publisher: Publisher,
    topic: str,
    now: datetime,
) -> None:
    """Keep every rejected row (Aadhaar-like values removed) and dead-letter it."""
    if not rejections:
        return
    rows = [
        Rejected(
            batch_id=batch.batch_id,
            source=batch.source,
            row_number=r.row_number,
            field=r.field,
            reason=r.reason,
            employee_ref=r.employee_ref,
            raw=scrub_raw(limits.clip(r.raw)),
            aadhaar_redacted=r.aadhaar_redacted,
        )
        for r in rejections
    ]
    await store.add(rows)
    letters = [
        DeadLetter(
            source_topic=topic,
            source_key=f"{row.batch_id}:{row.row_number}",
            consumer=PRODUCER,
            reason=row.reason,
            field=row.field,
            payload=json.dumps(row.raw, ensure_ascii=False),
            failed_at=now,
        )
        for row in rows
    ]
    await publisher.dead_letter(f"{topic}.dlq", letters)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def refused_rows(
    refused: Sequence[Unpublished],
    rows: Mapping[str, int],
    ref: Callable[[Mapping[str, Any]], str | None],
    stats: ParseStats,
) -> list[Rejection]:
    """The rows of records Kafka refused, as rejections: each was counted accepted and
    is now counted rejected, with Kafka's reason."""
    rejections = []
    for item in refused:
        fields = item.event.model_dump(mode="json")
        key = item.event.partition_key
        stats.accepted -= 1
        stats.rejected += 1
        raw = {name: _text(value) for name, value in fields.items() if value not in (None, [], ())}
        rejections.append(
            Rejection(
                rows.get(key, 0),
                "row",
                f"row: {UNPUBLISHABLE}: {item.reason}",
                ref(fields),
                limits.clip(raw),
            )
        )
    return rejections
