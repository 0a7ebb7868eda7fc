"""A lingering batch subscriber tops a batch that is not full up with what arrives within
its linger, and takes a full or an empty one as it is (run on a stand-in consumer)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from faststream.kafka import KafkaRouter

from servicekit.batches import LingeringBatchSubscriber, batch_subscription, lingering


class TrickleConsumer:
    """`getmany` as aiokafka answers it: what has arrived so far (up to `max_records`), or,
    when nothing has, the next message to arrive within the timeout."""

    def __init__(self, arrivals: list[tuple[float, str]]) -> None:
        self.arrivals = arrivals  # (seconds after the start, message)
        self.start = asyncio.get_running_loop().time()
        self.calls = 0

    async def getmany(self, timeout_ms: int, max_records: int | None = None) -> dict[str, Any]:
        self.calls += 1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_ms / 1000
        while True:
            now = loop.time() - self.start
            ready = [m for at, m in self.arrivals if at <= now][: max_records or None]
            if ready or loop.time() >= deadline:
                break
            await asyncio.sleep(0.001)
        self.arrivals = [(at, m) for at, m in self.arrivals if m not in ready]
        return {"tp": ready} if ready else {}


def _subscriber(linger_ms: int, max_records: int = 64) -> Any:
    router = KafkaRouter()
    subscriber = lingering(
        router.subscriber("t", **batch_subscription("g", max_records)), linger_ms
    )

    @subscriber
    async def handle(batch: list[str]) -> None: ...

    return subscriber


async def test_a_batch_that_is_not_full_takes_what_arrives_within_the_linger() -> None:
    subscriber = _subscriber(linger_ms=80)
    consumer = TrickleConsumer([(0.0, "a"), (0.02, "b"), (0.04, "c"), (0.3, "late")])
    assert await subscriber.get_msg(consumer) == ("a", "b", "c")
    assert consumer.arrivals == [(0.3, "late")]


async def test_a_full_batch_is_taken_without_waiting() -> None:
    subscriber = _subscriber(linger_ms=5_000, max_records=2)
    consumer = TrickleConsumer([(0.0, "a"), (0.0, "b"), (0.0, "c")])
    started = asyncio.get_running_loop().time()
    assert await subscriber.get_msg(consumer) == ("a", "b")
    assert asyncio.get_running_loop().time() - started < 1


async def test_without_a_linger_a_batch_is_what_was_there() -> None:
    subscriber = _subscriber(linger_ms=0)
    assert not isinstance(subscriber, LingeringBatchSubscriber)
    consumer = TrickleConsumer([(0.0, "a"), (0.02, "b")])
    assert await subscriber.get_msg(consumer) == ("a",)


def test_only_a_batch_subscriber_lingers() -> None:
    router = KafkaRouter()
    with pytest.raises(TypeError, match="batch subscriber"):
        lingering(router.subscriber("t", group_id="g"), 20)
