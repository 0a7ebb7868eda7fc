"""The master-data use case: departments, district offices, posts and DDOs published to
`master-data.v1`, guarded by version and content like employee records, with the same
accounting (every row received is accepted or rejected, whatever fails)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from contracts import topics
from contracts.ingest import MasterDataChanged
from ingest.domain.model import MasterEntity, ParseStats, Rejection
from ingest.ports import Stored, Unpublished
from ingest.records import decide, event_id
from ingest.reports import BatchReport
from ingest.services import (
    _POSITION,
    PRODUCER,
    Batch,
    Clock,
    Deps,
    Publishing,
    Tally,
    _digest,
    publish_all,
)


def _master_ref(fields: Mapping[str, Any]) -> str | None:
    return str(fields.get("code") or "") or None


async def ingest_master(
    items: Iterable[MasterEntity | Rejection],
    stats: ParseStats,
    batch: Batch,
    deps: Deps,
    clock: Clock,
) -> BatchReport:
    """Publish each new or changed master-data entity to `master-data.v1`, keyed
    `<entity_type>:<code>`, guarded by version and content like employee records."""
    return await publish_all(
        items,
        stats,
        batch,
        deps,
        clock,
        Publishing(
            topics.MASTER_DATA,
            MasterEntity,
            _apply_master,
            lambda e: (f"{e.entity_type}:{e.code}", e.row_number),
            _master_ref,
        ),
    )


def _master_record(entity: MasterEntity, batch: Batch) -> dict[str, Any]:
    values = entity.model_dump(mode="json")
    names = (
        *("entity_type", "code", "name", "parent_type", "parent_code", "active"),
        *("funding", "employment"),
    )
    return {
        **{name: values.get(name) for name in names},
        "batch_id": batch.batch_id,
        "row_number": entity.row_number,
    }


async def _apply_master(
    entities: Sequence[MasterEntity], batch: Batch, deps: Deps, tally: Tally
) -> list[Unpublished]:
    keys = [f"{e.entity_type}:{e.code}" for e in entities]
    held = await deps.master.load(sorted(set(keys)))
    events: list[MasterDataChanged] = []
    writes: list[Stored] = []
    for key, entity in zip(keys, entities, strict=True):
        record = _master_record(entity, batch)
        digest = _digest(record)
        outcome = decide(held.get(key), batch.version, digest)
        tally.count(outcome)
        current = held.get(key)
        if outcome == "stale" or (current and current.source_version >= batch.version):
            continue
        if outcome == "publish":
            fields = {k: v for k, v in record.items() if k not in _POSITION}
            events.append(
                MasterDataChanged.model_validate(
                    {
                        **fields,
                        "event_id": event_id(key, batch.version, digest),
                        "producer": PRODUCER,
                        "correlation_id": batch.batch_id,
                        "partition_key": key,
                        "source_version": batch.version,
                    }
                )
            )
        held[key] = Stored(key, batch.version, digest, record)
        writes.append(held[key])
    refused = await deps.publisher.publish(topics.MASTER_DATA, events)
    lost = {item.event.partition_key for item in refused}
    await deps.master.save([w for w in writes if w.key not in lost])
    return refused
