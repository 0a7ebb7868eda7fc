"""The employee-record use case: HKRNL and e-Billing drafts classified, linked across
sources, published to `employee-records.v1` when new or changed, and held by ingest, with
the accounting every batch keeps (see `services.publish_all`). No FastAPI or FastStream
here; I/O goes through `ports`.

Publishing order: events go to Kafka first, then ingest's own state is written (see
`services`): a re-sent file publishes the same events again, dropped as duplicates.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from contracts import topics
from contracts.ingest import EmployeeRecordReceived
from ingest.domain.model import EmployeeDraft, ParseStats, Rejection
from ingest.exclusions import classify
from ingest.ports import Stored, Unpublished
from ingest.records import decide, event_id, link_keys, source_of
from ingest.reports import BatchReport
from ingest.services import PRODUCER, Batch, Clock, Deps, Publishing, Tally, _digest, publish_all

_RECORD_FIELDS = set(EmployeeRecordReceived.model_fields) - {
    *("event_id", "event_type", "schema_version", "occurred_at", "producer"),
    *("correlation_id", "partition_key", "source_version"),
}


def _employee_ref(fields: Mapping[str, Any]) -> str | None:
    return str(fields.get("employee_id", "")).partition(":")[2] or None


async def ingest_employees(
    items: Iterable[EmployeeDraft | Rejection],
    stats: ParseStats,
    batch: Batch,
    deps: Deps,
    clock: Clock,
) -> BatchReport:
    """Publish each new or changed employee to `employee-records.v1` (see `publish_all`)."""
    return await publish_all(
        items,
        stats,
        batch,
        deps,
        clock,
        Publishing(
            topics.EMPLOYEE_RECORDS,
            EmployeeDraft,
            _apply_employees,
            lambda d: (d.employee_id(), d.row_number or 0),
            _employee_ref,
        ),
    )


def _employee_record(draft: EmployeeDraft, batch: Batch, linked: list[str]) -> dict[str, Any]:
    values = draft.model_dump(mode="json")
    record = {name: values[name] for name in _RECORD_FIELDS if name in values}
    record.update(
        employee_id=draft.employee_id(),
        batch_id=batch.batch_id,
        row_number=draft.row_number,
        linked_employee_ids=linked,
    )
    return record


# Fields a draft holds as typed values that its JSON record holds as text: given the
# draft, the event takes them as they are instead of parsing the text back (a year of
# service periods took about 0.1 ms a record to validate from text).
_TYPED = ("date_of_birth", "date_of_joining", "monthly_remuneration_exact", "service_periods")


def _employee_event(
    record: dict[str, Any], version: int, digest: str, draft: EmployeeDraft | None = None
) -> EmployeeRecordReceived:
    key = str(record["employee_id"])
    typed = {name: getattr(draft, name) for name in _TYPED} if draft is not None else {}
    return EmployeeRecordReceived.model_validate(
        {
            **record,
            **typed,
            "event_id": event_id(key, version, digest),
            "producer": PRODUCER,
            "correlation_id": record["batch_id"],
            "partition_key": key,
            "source_version": version,
        }
    )


async def _links_for(
    drafts: Sequence[EmployeeDraft], deps: Deps
) -> tuple[dict[str, list[str]], list[tuple[str, str]], set[str]]:
    """For each draft, the ids of the same person in the other source; and the drafts'
    own entries for the link index that it lacks (a re-sent file writes none), and the
    keys the index does not hold at all."""
    keys = {
        d.employee_id(): link_keys(d.name, d.date_of_birth, d.mobile, d.family_id) for d in drafts
    }
    index = await deps.links.find({k for ks in keys.values() for k in ks})
    linked: dict[str, list[str]] = {}
    for draft in drafts:
        own = draft.employee_id()
        found = {i for k in keys[own] for i in index.get(k, ())}
        linked[own] = sorted(i for i in found if source_of(i) != draft.source)
    missing = [(k, own) for own, ks in keys.items() for k in ks if own not in index.get(k, ())]
    return linked, missing, {k for ks in keys.values() for k in ks} - index.keys()


async def _apply_employees(
    drafts: Sequence[EmployeeDraft], batch: Batch, deps: Deps, tally: Tally
) -> list[Unpublished]:
    drafts = await classify(drafts, deps.master)
    linked, entries, new_keys = await _links_for(drafts, deps)
    held = await deps.employees.load(sorted(linked))
    events: list[EmployeeRecordReceived] = []
    writes: list[Stored] = []
    for draft in drafts:
        own = draft.employee_id()
        record = _employee_record(draft, batch, linked[own])
        digest = _digest(record)
        outcome = decide(held.get(own), batch.version, digest)
        tally.count(outcome)
        current = held.get(own)
        if outcome == "stale" or (current and current.source_version >= batch.version):
            continue
        if current and outcome == "unchanged":
            record = dict(current.record)  # keep the published batch and row
        else:
            events.append(_employee_event(record, batch.version, digest, draft))
        held[own] = Stored(own, batch.version, digest, record)
        writes.append(held[own])
    refused, _ = await asyncio.gather(
        deps.publisher.publish(topics.EMPLOYEE_RECORDS, events), deps.links.add(entries, new_keys)
    )
    lost = {item.event.partition_key for item in refused}
    await deps.employees.save([w for w in writes if w.key not in lost])  # once Kafka has them
    await _relink([e for e in events if e.partition_key not in lost], deps, tally)
    return refused


async def _relink(events: Sequence[EmployeeRecordReceived], deps: Deps, tally: Tally) -> None:
    """Republish an earlier record of the other source when it lacks a new link.

    Its version moves forward by one (1 ms), so consumers accept it, and its content
    (apart from the link), batch and row stay as first published.
    """
    wanted = {(other, e.employee_id) for e in events for other in e.linked_employee_ids}
    held = await deps.employees.load(sorted({other for other, _ in wanted}))
    updated: dict[str, Stored] = {}
    for other, new in sorted(wanted):
        stored = updated.get(other) or held.get(other)
        if stored is None or new in stored.record.get("linked_employee_ids", ()):
            continue
        record = dict(stored.record)
        record["linked_employee_ids"] = sorted({*record.get("linked_employee_ids", ()), new})
        updated[other] = Stored(other, stored.source_version + 1, _digest(record), record)
    republished = [
        _employee_event(dict(s.record), s.source_version, s.content_hash) for s in updated.values()
    ]
    refused = {
        u.event.partition_key
        for u in await deps.publisher.publish(topics.EMPLOYEE_RECORDS, republished)
    }
    await deps.employees.save([s for s in updated.values() if s.key not in refused])
    tally.relinked += len(republished) - len(refused)
