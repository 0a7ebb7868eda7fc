"""Batch consumers: a subscriber that takes up to `max_records` messages at once, decodes
each to its contract or None, dead-letters each message that can never be processed by
itself, and applies the rest in one go (offsets committed after the whole batch)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal, TypedDict, TypeVar

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.message import StreamMessage
from pydantic import BaseModel

from servicekit.messaging import DEAD_LETTERS, UNPROCESSABLE, DeadLetterPolicy
from servicekit.storable import UNSTORABLE, unstorable_field

log = logging.getLogger(__name__)

Event = TypeVar("Event", bound=BaseModel)
Result = TypeVar("Result")


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
    whole batch). `held_fetch` lets its batches fill while messages trickle in."""
    return BatchSubscription(
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        batch=True,
        max_records=max_records,
    )


class HeldFetch(TypedDict):
    fetch_min_bytes: int
    fetch_max_wait_ms: int


def held_fetch(min_bytes: int, max_wait_ms: int) -> HeldFetch:
    """Subscriber arguments that have the broker hold each fetch until `min_bytes` are
    there or `max_wait_ms` has passed.

    aiokafka fetches again as soon as the records of its last fetch are taken, and a
    broker asked for one byte answers at once: while messages trickle in (a burst of OTP
    requests, each publishing one SMS request and later two statuses) a consumer fetched
    for every message or two, and a fetch round of aiokafka's cost it about 1 ms of CPU
    (docs/benchmarks.md, "Fetches held at the broker"). Held, a fetch brings a batch's
    worth: a message waits at the broker up to `max_wait_ms` (and, on an idle topic, up to
    FastStream's `batch_timeout_ms` pause after a poll that found nothing, as before), and
    an idle topic is fetched that often. With 0, aiokafka's own settings (answered once one
    byte is there; an idle topic asked every 500 ms)."""
    if max_wait_ms <= 0:
        return HeldFetch(fetch_min_bytes=1, fetch_max_wait_ms=500)
    return HeldFetch(fetch_min_bytes=min_bytes, fetch_max_wait_ms=max_wait_ms)
