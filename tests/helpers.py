"""Waiting and reading helpers for tests against real servers: poll until a deadline,
never sleep a fixed time."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T | None]], timeout: float = 30.0, interval: float = 0.2
) -> T:
    """Call `probe` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout:g}s")
        await asyncio.sleep(interval)


async def produce(bootstrap: str, topic: str, value: bytes, key: bytes | None = None) -> None:
    """Publish raw bytes, as any producer (or a hostile one) could."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def read_topic(
    bootstrap: str,
    topic: str,
    match: Callable[[dict[str, Any]], bool],
    count: int = 1,
    timeout: float = 30.0,
) -> list[dict[str, Any]]:
    """Read `topic` from the beginning until `count` JSON messages satisfy `match`."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    found: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    try:
        while len(found) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)}/{count} matching messages on {topic}")
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    try:
                        body = json.loads(record.value)
                    except ValueError:
                        continue
                    if isinstance(body, dict) and match(body):
                        found.append(body)
    finally:
        await consumer.stop()
    return found
