"""Batch consumers: a subscriber that takes up to `max_records` messages at once, decodes
each to its contract or None, dead-letters each message that can never be processed by
itself, and applies the rest in one go (offsets committed after the whole batch)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import cache
from itertools import chain
from typing import Any, ClassVar, Literal, TypedDict, TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.subscriber.usecase import BatchSubscriber
from faststream.message import StreamMessage
from pydantic import BaseModel

from servicekit.messaging import DEAD_LETTERS, UNPROCESSABLE, DeadLetterPolicy
from servicekit.storable import UNSTORABLE, unstorable_field

log = logging.getLogger(__name__)

Event = TypeVar("Event", bound=BaseModel)
Result = TypeVar("Result")
Subscriber = TypeVar("Subscriber")


def batch_decoder(model: type[Event]) -> Callable[[StreamMessage[Any]], Awaitable[list[Any]]]:
    """Decoder of a batch subscriber: each message as `model`, or None for one that can
    never be processed (the handler hands those to `valid_events` for the DLQ)."""

    async def decode(msg: StreamMessage[Any]) -> list[Any]:
        events: list[Any] = []
        for body in msg.body:
            try:
                events.append(model.model_validate_json(bytes(body)))
            except UNPROCESSABLE:
                events.append(None)
        return events

    return decode


async def valid_events(
    broker: KafkaBroker, message: Any, events: Sequence[Event | None], model: type[Event]
) -> list[Event]:
    """The events of a batch (`batch_decoder`) that fit `model`, in order; each message
    that can never be processed goes to the DLQ by itself, as a single message would, so
    one bad message neither stalls nor drops the good ones beside it."""
    policy: DeadLetterPolicy = broker.context.get(DEAD_LETTERS)
    valid: list[Event] = []
    for record, event in zip(message.raw_message, events, strict=True):
        if event is not None:
            valid.append(event)
            continue
        body = record.value or b""
        try:
            model.model_validate_json(body)
        except UNPROCESSABLE as error:
            await policy.dead_letter(broker, record, body, error, message.correlation_id)
    return valid


async def apply_batch(
    broker: KafkaBroker,
    message: Any,
    events: Sequence[Event | None],
    model: type[Event],
    apply: Callable[[list[Event]], Awaitable[Result]],
) -> tuple[list[Event], Result]:
    """`apply` to the valid events of a batch (`valid_events`), and what they were.

    Should the write fail on a value no document can hold, each event holding one goes
    to the DLQ by itself, naming the field, and the rest are applied again (writes are
    conditional on versions, so what the first try wrote changes nothing). Checking
    every event up front would cost each batch a walk of every field."""
    valid = await valid_events(broker, message, events, model)
    try:
        return valid, await apply(valid)
    except UNSTORABLE:
        log.warning("a batch of %s held a value that cannot be stored", model.__name__)
    policy: DeadLetterPolicy = broker.context.get(DEAD_LETTERS)
    storable: list[Event] = []
    for record, event in zip(message.raw_message, events, strict=True):
        if event is None:
            continue
        problem = unstorable_field(event.model_dump())
        if problem is None:
            storable.append(event)
        else:
            body = record.value or b""
            await policy.dead_letter(broker, record, body, problem, message.correlation_id)
    return storable, await apply(storable)


class BatchSubscription(TypedDict):
    group_id: str
    auto_offset_reset: Literal["earliest"]
    ack_policy: AckPolicy
    batch: Literal[True]
    max_records: int


def batch_subscription(group_id: str, max_records: int) -> BatchSubscription:
    """`subscription` for a handler that takes up to `max_records` messages at once; give
    it `decoder=batch_decoder(Model)` and validate with `valid_events` (offsets committed after the
    whole batch). `lingering` lets its batches fill while messages trickle in."""
    return BatchSubscription(
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        batch=True,
        max_records=max_records,
    )


class LingeringBatchSubscriber(BatchSubscriber):
    """A batch subscriber that, having taken fewer than `max_records` messages, takes what
    else arrives in the next `linger_ms` (of its class) into the same batch."""

    __slots__ = ()
    linger_ms: ClassVar[int] = 0

    async def get_msg(self, consumer: AIOKafkaConsumer) -> tuple[ConsumerRecord[Any, Any], ...]:
        batch = await super().get_msg(consumer)
        if not batch or self.max_records is None:
            return batch
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.linger_ms / 1000
        while len(batch) < self.max_records and (left := deadline - loop.time()) > 0:
            more = await consumer.getmany(
                timeout_ms=max(1, int(left * 1000)), max_records=self.max_records - len(batch)
            )
            batch += tuple(chain.from_iterable(more.values()))
        return batch


@cache
def _lingering_class(linger_ms: int) -> type[LingeringBatchSubscriber]:
    return type(
        f"LingeringBatchSubscriber{linger_ms}ms",
        (LingeringBatchSubscriber,),
        {"__slots__": (), "linger_ms": linger_ms},
    )


def lingering(subscriber: Subscriber, linger_ms: int) -> Subscriber:
    """`subscriber` (a batch subscriber: `batch_subscription`) letting each batch fill for
    up to `linger_ms` once its first messages are there.

    A consumer's fetch is answered as soon as one message is there, so while requests
    trickle in (a burst of OTP requests, each publishing one SMS request) a batch held one
    or two, and each paid a batch's fixed costs (its bulk writes, a status publish round,
    an offset commit) alone. Waiting for the batch to fill costs a message at most
    `linger_ms`, and nothing while the topic is idle: the broker's own fetch wait
    (`fetch.min.bytes` / `fetch.max.wait.ms`) would make an idle consumer fetch every
    `linger_ms` instead. With 0 the subscriber is left as it is."""
    if linger_ms <= 0:
        return subscriber
    if not isinstance(subscriber, BatchSubscriber):
        raise TypeError(f"lingering needs a batch subscriber, not {type(subscriber).__name__}")
    batches: BatchSubscriber = subscriber
    batches.__class__ = _lingering_class(linger_ms)  # its slots are the same
    return subscriber
