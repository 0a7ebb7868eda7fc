"""Kafka wiring shared by every service.

Delivery policy: at least once. Offsets are committed only after the handler returns
(`AckPolicy.NACK_ON_ERROR`), so a handler that fails, for instance because MongoDB is
down, sees the same message again after a short pause. A message that can never be
processed (bad JSON, a payload that fails its contract) is published to `<topic>.dlq`
with its reason and source position, then committed, so one bad message never stalls
a partition.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from typing import Any, Literal, NotRequired, TypedDict

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.message import StreamMessage
from faststream.middlewares import BaseMiddleware
from prometheus_client import CollectorRegistry, Counter
from pydantic import BaseModel, ValidationError

from contracts.dlq import DeadLetter
from contracts.envelope import Envelope
from contracts.topics import dlq
from servicekit.observability import SERVICE_INFO, ServiceInfo
from servicekit.storable import UNSTORABLE, UnstorableValueError

log = logging.getLogger(__name__)

# Consumers never wait forever for a stuck handler; each failure pauses this long.
UNPROCESSABLE = (ValidationError, json.JSONDecodeError, UnicodeDecodeError)


def describe_validation_error(error: Exception) -> tuple[str, str | None]:
    """A reason a person can act on (up to three problems), and the first offending field.

    Handlers name their payload parameter `event`; FastStream puts that name first in
    each error location, so it is dropped here.
    """
    if isinstance(error, UnstorableValueError):
        return str(error), error.field
    if isinstance(error, UNSTORABLE):
        return f"message holds a value that cannot be stored: {error}", None
    if not isinstance(error, ValidationError):
        return f"message is not valid JSON: {error}", None
    problems: list[str] = []
    fields: list[str] = []
    for item in error.errors()[:3]:
        loc = [str(part) for part in item["loc"]]
        if loc and loc[0] == "event":
            loc = loc[1:]
        if not loc and item["type"] == "model_type":
            return "message is not a JSON object of the expected event", None
        field = ".".join(loc) or "message"
        fields.append(field)
        problems.append(f"{field}: {item['msg']}")
    more = error.error_count() - len(problems)
    return "; ".join(problems) + (f" (and {more} more)" if more > 0 else ""), fields[0]


# A dead letter must fit in one Kafka message (1 MB by default), or publishing it fails
# and the message it stands for is redelivered forever. Undecodable bytes grow threefold
# as text and JSON escapes up to sixfold, so a large payload is cut to fit.
MAX_LETTER_BYTES = 1_000_000  # leaves room under 1 MiB for the record's own overhead
CUT_PAYLOAD_BYTES = 128 * 1024


def fitted(letter: DeadLetter, body: bytes) -> DeadLetter:
    """`letter`, or, when it would not fit in a Kafka message, the same letter keeping
    only the start of the payload and saying so in its reason."""
    if len(letter.model_dump_json().encode()) <= MAX_LETTER_BYTES:
        return letter
    note = f" (payload cut to its first {CUT_PAYLOAD_BYTES} of {len(body)} bytes)"
    return letter.model_copy(
        update={
            "payload": body[:CUT_PAYLOAD_BYTES].decode("utf-8", "replace"),
            "reason": letter.reason + note,
        }
    )


class DeadLetterPolicy:
    """Builds the per-message middleware; holds what every message shares."""

    def __init__(self, consumer: str, registry: CollectorRegistry, backoff: float) -> None:
        self.consumer = consumer
        self.backoff = backoff
        self.dead_letters = Counter(
            "seva_dead_letters_total",
            "Messages sent to a dead-letter topic, by why (invalid_event, not_json, or the"
            " consumer's own reason: retries_exhausted, code_expired, refused, ...)",
            ["service", "topic", "reason"],
            registry=registry,
        )
        self.handler_failures = Counter(
            "seva_handler_failures_total",
            "Handler failures that will be retried (message redelivered)",
            ["service", "topic"],
            registry=registry,
        )

    def __call__(self, msg: Any, /, *, context: Any) -> _DeadLetterMiddleware:
        return _DeadLetterMiddleware(msg, context=context, policy=self)

    async def dead_letter(
        self,
        broker: KafkaBroker,
        record: Any,
        body: bytes,
        error: Exception,
        correlation_id: str | None = None,
    ) -> None:
        """Publish one message that can never be processed to its topic's DLQ, with why."""
        topic = getattr(record, "topic", "unknown")
        reason, field = describe_validation_error(error)
        key = getattr(record, "key", None)
        letter = fitted(
            DeadLetter(
                source_topic=topic,
                source_partition=getattr(record, "partition", None),
                source_offset=getattr(record, "offset", None),
                source_key=key.decode("utf-8", "replace") if isinstance(key, bytes) else key,
                consumer=self.consumer,
                reason=reason,
                field=field,
                payload=body.decode("utf-8", "replace"),
                failed_at=datetime.now(UTC),
            ),
            body,
        )
        await broker.publish(letter, dlq(topic), key=key, correlation_id=correlation_id)
        kind = (
            "invalid_event"
            if isinstance(error, (ValidationError, UnstorableValueError, *UNSTORABLE))
            else "not_json"
        )
        self.dead_letters.labels(self.consumer, topic, kind).inc()
        log.warning("dead-lettered %s offset %s: %s", topic, letter.source_offset, reason)


class _DeadLetterMiddleware(BaseMiddleware):
    def __init__(self, msg: Any, /, *, context: Any, policy: DeadLetterPolicy) -> None:
        super().__init__(msg, context=context)
        self.policy = policy

    async def consume_scope(self, call_next: Any, msg: StreamMessage[Any]) -> Any:
        record = msg.raw_message
        topic = getattr(record, "topic", "unknown")
        try:
            return await call_next(msg)
        except (*UNPROCESSABLE, *UNSTORABLE) as error:
            await self._dead_letter(msg, record, topic, error)
            return None
        except Exception:
            self.policy.handler_failures.labels(self.policy.consumer, topic).inc()
            log.exception("handler failed on %s; the message will be redelivered", topic)
            await asyncio.sleep(self.policy.backoff)
            raise

    async def _dead_letter(
        self, msg: StreamMessage[Any], record: Any, topic: str, error: Exception
    ) -> None:
        broker: KafkaBroker = self.context.get("broker")
        await self.policy.dead_letter(broker, record, bytes(msg.body), error, msg.correlation_id)


class ProducerOptions(TypedDict, total=False):
    """How the producer groups records: `max_batch_size` bytes per partition batch
    (aiokafka's default is 16 KiB), sent after at most `linger_ms` when not yet full."""

    max_batch_size: int
    linger_ms: int


def make_broker(
    bootstrap_servers: str,
    service: str,
    registry: CollectorRegistry,
    retry_backoff_seconds: float = 1.0,
    producer: ProducerOptions | None = None,
) -> KafkaBroker:
    """A broker that commits after the handler, dead-letters what can never parse,
    exports FastStream's Prometheus metrics and publishes idempotently (acks=all).
    `producer` sizes its batches (a service that publishes in bulk fills larger ones)."""
    policy = DeadLetterPolicy(service, registry, retry_backoff_seconds)
    broker = KafkaBroker(
        bootstrap_servers,
        **(producer or {}),
        client_id=service,
        enable_idempotence=True,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        middlewares=(KafkaPrometheusMiddleware(registry=registry, app_name=service), policy),
        logger=logging.getLogger(f"{service}.kafka"),
        # "Received" / "Processed" for every message: DEBUG, not INFO (20k lines a batch)
        log_level=logging.DEBUG,
    )
    broker.context.set_global(DEAD_LETTERS, policy)
    broker.context.set_global(SERVICE_INFO, ServiceInfo(service, bootstrap_servers))
    return broker


def dead_letter_counter(broker: KafkaBroker) -> Counter:
    """`seva_dead_letters_total{service,topic,reason}`, for a service that dead-letters a
    message itself (notify's SMS that could not be sent), so one family counts them all."""
    policy: DeadLetterPolicy = broker.context.get(DEAD_LETTERS)
    return policy.dead_letters


DEAD_LETTERS = "seva_dead_letter_policy"


async def publish_event(broker: KafkaBroker, topic: str, event: Envelope) -> None:
    """Publish under the event's key; the body carries `event_id` and `source_version`,
    which is what consumers deduplicate on when a publish is repeated."""
    await broker.publish(
        event, topic, key=event.partition_key.encode(), correlation_id=event.correlation_id
    )


def to_json(model: BaseModel) -> bytes:
    return model.model_dump_json().encode()


class Subscription(TypedDict):
    group_id: str
    auto_offset_reset: Literal["earliest"]
    ack_policy: AckPolicy
    max_workers: NotRequired[int]


def subscription(group_id: str, workers: int = 1) -> Subscription:
    """Keyword arguments for every `subscriber(...)`: the service's group, read from the
    earliest offset when the group is new, and offsets committed only after the handler.
    `workers` > 1 runs that many consumers of the group in this process, each handling
    its own partitions one message at a time (order per key is kept; commits stay after
    the handler).

    The ack policy must be given here, on the subscriber: FastStream fixes a subscriber's
    `enable_auto_commit` when the subscriber is declared, before a router is attached to
    the broker, so a broker-level policy alone leaves auto-commit on (at most once).
    """
    kwargs = Subscription(
        group_id=group_id, auto_offset_reset="earliest", ack_policy=AckPolicy.NACK_ON_ERROR
    )
    if workers > 1:  # (a batch subscriber takes no max_workers at all)
        kwargs["max_workers"] = workers
    return kwargs
