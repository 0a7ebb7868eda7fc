"""Waiting and reading helpers for tests against real servers: poll until a deadline,
never sleep a fixed time."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from fastapi import FastAPI

T = TypeVar("T")


@asynccontextmanager
async def serving(
    app: FastAPI, base_url: str, timeout: float = 5.0
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `app`, in process, while the app runs its lifespan (its broker
    connection, consumers and database client included)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=base_url, timeout=timeout
        ) as client:
            yield client


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
    distinct: Callable[[dict[str, Any]], Any] | None = None,
) -> list[dict[str, Any]]:
    """Read `topic` from the beginning until `count` JSON messages satisfy `match`. With
    `distinct`, a message whose key was already found is a redelivery (at-least-once) and
    is skipped, so `count` counts distinct facts."""
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
                    if not (isinstance(body, dict) and match(body)):
                        continue
                    if distinct is None or all(distinct(f) != distinct(body) for f in found):
                        found.append(body)
    finally:
        await consumer.stop()
    return found


async def start_group_at_end(bootstrap: str, group_id: str, *topics: str) -> None:
    """Commit `group_id`'s offsets at the current end of `topics`, so a service started
    with that group sees only what a test publishes from now on, not every earlier
    test's events (the services themselves start new groups at the earliest offset)."""
    from aiokafka import TopicPartition

    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(await _partitions(consumer, topic))
        ]
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.commit(dict(ends))
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    known = consumer.partitions_for_topic(topic)
    if not known:
        await consumer._client.force_metadata_update()
        known = consumer.partitions_for_topic(topic)
    return set(known or {0})


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SERVERS = Path(__file__).resolve().parents[1] / "deploy" / "local" / "servers.py"


def local_servers(
    state: Path, *args: str, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """`deploy/local/servers.py *args` on the state directory `state`, `env` added."""
    return subprocess.run(
        [sys.executable, str(SERVERS), *args],
        env={**os.environ, "SEVA_STATE_DIR": str(state), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """One HTTP/1.1 request off a stream, its body read by its Content-Length; returns
    its request line (`POST /send HTTP/1.1`). For the minimal gateways on loopback ports
    that tests and the bench answer in bytes of their own."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in lines if line.lower().startswith(b"content-length:")),
        0,
    )
    await reader.readexactly(length)
    return lines[0]
