"""Hostile payloads for any topic, the topics each service consumes, and a reader of the
dead letters a test caused (from a point in time, so old letters are not re-read)."""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts.topics import TOPICS, dlq
from scripts.asyncapi import SERVICES
from tests.helpers import eventually

OVERSIZED_BYTES = 900 * 1024  # under Kafka's default 1 MB message limit


def hostile_payloads(good: bytes) -> dict[str, bytes]:
    """Bad variants of a valid event body `good`, by what is wrong with them.

    A bad JSON object keeps the good event's ids (employee, certification, challenge):
    other tests read these topics from the start and pick their events out by id."""
    event = json.loads(good)
    missing = {k: v for k, v in event.items() if k not in {"source_version", "partition_key"}}
    return {
        "not JSON and not UTF-8": b"\xff\xfe{ this is not json",
        "JSON truncated halfway": good[: len(good) // 2],
        "a JSON array, not an object": b"[1, 2, 3]",
        "JSON null": b"null",
        "another event type": json.dumps({**event, "event_type": "Unheard"}).encode(),
        "required fields missing": json.dumps(missing).encode(),
        "a field of the wrong type": json.dumps({**event, "source_version": "seven"}).encode(),
        # fits the contract (a version is any integer >= 0), not a MongoDB document
        "an integer past 64 bits": json.dumps({**event, "source_version": 2**64 + 7}).encode(),
        "oversized": json.dumps({**missing, "padding": "x" * OVERSIZED_BYTES}).encode(),
        "oversized and not UTF-8": b"\xff" * OVERSIZED_BYTES,
    }


def consumed_topics() -> dict[str, str]:
    """Topic -> service, for every topic a service subscribes to (read from each
    service's AsyncAPI document, which is built from its real subscribers)."""
    consumed: dict[str, str] = {}
    for service in SERVICES:
        document = json.loads(importlib.import_module(f"{service}.app").asyncapi_document())
        for operation in document["operations"].values():
            if operation["action"] == "receive":
                channel = operation["channel"]["$ref"].rsplit("/", 1)[-1]
                consumed[channel.split(":", 1)[0]] = service
    return consumed


def declared_consumers(services: tuple[str, ...] = SERVICES) -> dict[str, set[str]]:
    """Topic -> the services of this repository the topic registry says consume it."""
    return {
        name: set(spec.consumers) & set(services)
        for name, spec in TOPICS.items()
        if set(spec.consumers) & set(services)
    }


def now_ms() -> int:
    return int(time.time() * 1000)


async def dead_letters_since(
    bootstrap: str,
    topic: str,
    since_ms: int,
    match: Callable[[dict[str, Any]], bool],
    count: int,
    timeout: float = 60.0,
) -> list[dict[str, Any]]:
    """The first `count` letters on `<topic>.dlq` written since `since_ms` that satisfy
    `match`, one per dead-lettered message; fails when they do not all arrive within
    `timeout` seconds."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    await consumer.start()
    found: dict[tuple[str, int], dict[str, Any]] = {}  # by source: delivery is at least once
    deadline = time.monotonic() + timeout
    try:
        partitions = await _partitions_when_created(consumer, dlq(topic), deadline)
        consumer.assign(partitions)
        # The ends first: a partition with no letter since `since_ms` when the times are
        # asked has none before these ends either. Asked the other way round, a letter
        # written between the two questions would be skipped.
        ends = await consumer.end_offsets(partitions)
        starts = await consumer.offsets_for_times({tp: since_ms for tp in partitions})
        for tp in partitions:
            start = starts.get(tp)
            consumer.seek(tp, start.offset if start else ends[tp])
        while len(found) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)}/{count} dead letters on {dlq(topic)}")
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    letter = json.loads(record.value)
                    if match(letter):
                        found[letter["source_topic"], letter["source_offset"]] = letter
    finally:
        await consumer.stop()
    return list(found.values())


async def _partitions_when_created(
    consumer: AIOKafkaConsumer, topic: str, deadline: float
) -> list[TopicPartition]:
    async def probe() -> list[TopicPartition] | None:
        await consumer._client.force_metadata_update()
        known = consumer.partitions_for_topic(topic)
        return [TopicPartition(topic, p) for p in sorted(known)] if known else None

    return await eventually(probe, timeout=max(1.0, deadline - time.monotonic()))
