"""Reading a whole topic back (to its current end), to show what did and did not arrive."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer


async def read_to_end(
    bootstrap: str, topic: str, match: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """Every JSON message on `topic` that satisfies `match`, from the beginning up to the
    end offsets at the time of the call (everything acknowledged before it is seen)."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = sorted(consumer.assignment())  # no group: every partition of the topic
        await consumer.seek_to_beginning(*partitions)
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
