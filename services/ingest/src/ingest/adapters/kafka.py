"""Publishing to Kafka: many events at once, each acknowledged before the call returns
(the producer is idempotent, acks=all).

Same message as `servicekit.messaging.publish_event` (the event under its
`partition_key`, with its correlation id), but each send is handed straight to the
producer (`servicekit.producing`: no FastStream publish pipeline per message) and the
delivery futures are awaited together, in groups of `group` sends. Measured on the
local broker with 1 KB events: about 7,000/s through FastStream's `no_confirm` publish,
against about 3,500/s for a gather of `publish_event` calls (each waiting for its drain);
the pipeline left out was a fifth of ingest's CPU during an e-Billing upload.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from aiokafka.errors import (
    CorruptRecordException,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
)
from faststream.kafka import KafkaBroker

from contracts.dlq import DeadLetter
from contracts.envelope import Envelope
from ingest.ports import Unpublished
from servicekit.producing import count_published, producer_of, send

log = logging.getLogger(__name__)
# Refusals of one record for what it is; retrying it would be refused the same way.
PERMANENT = (
    MessageSizeTooLargeError,
    RecordTooLargeError,
    RecordListTooLargeError,
    CorruptRecordException,
)


def _reason(error: BaseException) -> str:
    return f"Kafka refused the record ({type(error).__name__}: {str(error)[:200]})"


class KafkaPublisher:
    def __init__(self, broker: KafkaBroker, group: int = 500) -> None:
        self.broker = broker
        self.group = group

    async def publish(self, topic: str, events: Sequence[Envelope]) -> list[Unpublished]:
        refused: list[Unpublished] = []
        for start in range(0, len(events), self.group):
            group = events[start : start + self.group]
            sent = [(e, e.partition_key, e.correlation_id) for e in group]
            refused += await self._send_all(topic, sent)
        return refused

    async def dead_letter(self, topic: str, letters: Sequence[DeadLetter]) -> None:
        for start in range(0, len(letters), self.group):
            group = letters[start : start + self.group]
            for failed in await self._send_all(topic, [(x, x.source_key, None) for x in group]):
                # the row is in the quarantine all the same; its letter was clipped already
                log.warning("dead letter not published: %s", failed.reason)

    async def _send_all(
        self, topic: str, messages: Sequence[tuple[Any, str | None, str | None]]
    ) -> list[Unpublished]:
        refused: list[Unpublished] = []
        pending: list[tuple[Any, asyncio.Future[Any]]] = []
        producer = producer_of(self.broker)
        for message, key, correlation_id in messages:
            try:
                pending.append((message, await send(producer, topic, message, key, correlation_id)))
            except PERMANENT as error:
                refused.append(Unpublished(message, _reason(error)))
        results = await asyncio.gather(*(f for _, f in pending), return_exceptions=True)
        count_published(self.broker, topic, sum(not isinstance(r, BaseException) for r in results))
        for (message, _), result in zip(pending, results, strict=True):
            if isinstance(result, PERMANENT):
                refused.append(Unpublished(message, _reason(result)))
            elif isinstance(result, BaseException):
                raise result
        return refused
