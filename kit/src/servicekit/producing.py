"""Handing many events to the Kafka producer at once, for the services that publish in
bulk (ingest's records, the OTP service's eligibility changes).

The message is the one `broker.publish` sends (the event's JSON, its `partition_key` as
the key, `content-type` and `correlation_id` headers) and it is counted in the same
`faststream_published_messages_total`; only FastStream's per-message publish pipeline
(its command object, middleware scopes and codec, about half the CPU of a publish) is
left out. Each send returns aiokafka's delivery future: the caller awaits them together,
so the producer fills whole batches (idempotent, acks=all, as `make_broker` sets up).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.prometheus.types import PublishingStatus
from pydantic import BaseModel
from pydantic_core import to_json

from contracts.envelope import Envelope

JSON = b"application/json"


def producer_of(broker: KafkaBroker) -> AIOKafkaProducer:
    """The started broker's aiokafka producer (RuntimeError before `broker.start()`)."""
    state = getattr(broker.config.producer, "_producer", None)
    producer = getattr(state, "producer", None)
    if not isinstance(producer, AIOKafkaProducer):
        raise RuntimeError("the broker is not started: it has no Kafka producer yet")
    return producer


def count_published(broker: KafkaBroker, topic: str, amount: int) -> None:
    """Add `amount` to FastStream's published-messages counter of `topic`."""
    for middleware in broker.config.broker_middlewares:
        if isinstance(middleware, KafkaPrometheusMiddleware) and amount:
            middleware._metrics_manager.add_published_message(
                broker="kafka", destination=topic, status=PublishingStatus.success, amount=amount
            )


async def send(
    producer: AIOKafkaProducer,
    topic: str,
    message: BaseModel,
    key: str | None,
    correlation_id: str | None,
) -> asyncio.Future[Any]:
    """Hand one message to the producer; its delivery future (raises a refusal such as
    `MessageSizeTooLargeError` at once, before anything is queued)."""
    headers = [("content-type", JSON)]
    if correlation_id:
        headers.append(("correlation_id", correlation_id.encode()))
    future: asyncio.Future[Any] = await producer.send(
        topic, value=to_json(message), key=key.encode() if key else None, headers=headers
    )
    return future


async def publish_events(broker: KafkaBroker, topic: str, events: Sequence[Envelope]) -> None:
    """Publish every event under its key and wait until Kafka holds them all (the first
    failure is raised once every send has settled)."""
    if not events:
        return
    producer = producer_of(broker)
    pending = [
        await send(producer, topic, event, event.partition_key, event.correlation_id)
        for event in events
    ]
    results = await asyncio.gather(*pending, return_exceptions=True)
    delivered = sum(1 for result in results if not isinstance(result, BaseException))
    count_published(broker, topic, delivered)
    for result in results:
        if isinstance(result, BaseException):
            raise result
