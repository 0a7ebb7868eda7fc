"""Reading a topic back up to its current end, to show what did and did not arrive."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition

Offsets = dict[TopicPartition, int]


async def end_offsets(bootstrap: str, topic: str) -> Offsets:
    """Where `topic` ends now: pass it as `since` to read only what comes after."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        ends: Offsets = await consumer.end_offsets(sorted(consumer.assignment()))
        return ends
    finally:
        await consumer.stop()


async def read_to_end(
    bootstrap: str,
    topic: str,
    match: Callable[[dict[str, Any]], bool],
    since: Offsets | None = None,
) -> list[dict[str, Any]]:
    """Every JSON message on `topic` that satisfies `match`, from `since` (default: the
    beginning) up to the end offsets at the time of the call (everything acknowledged
    before the call is seen)."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = sorted(consumer.assignment())  # no group: every partition of the topic
        await consumer.seek_to_beginning(*partitions)
        for tp, offset in (since or {}).items():
            consumer.seek(tp, offset)
        ends = await consumer.end_offsets(partitions)
        found: list[dict[str, Any]] = []
        while any([await consumer.position(tp) < ends[tp] for tp in partitions]):
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    try:
                        body = json.loads(record.value)
                    except ValueError:  # hostile-input tests put non-JSON on shared topics
                        continue
                    if isinstance(body, dict) and match(body):
                        found.append(body)
        return found
    finally:
        await consumer.stop()
