"""Publishing to Kafka: many events concurrently, in bounded groups, each acknowledged
before the call returns (the producer is idempotent, acks=all)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from faststream.kafka import KafkaBroker

from contracts.dlq import DeadLetter
from contracts.envelope import Envelope
from servicekit.messaging import publish_event


class KafkaPublisher:
    def __init__(self, broker: KafkaBroker, concurrency: int = 500) -> None:
        self.broker = broker
        self.concurrency = concurrency

    async def publish(self, topic: str, events: Sequence[Envelope]) -> None:
        for start in range(0, len(events), self.concurrency):
            group = events[start : start + self.concurrency]
            await asyncio.gather(*(publish_event(self.broker, topic, e) for e in group))

    async def dead_letter(self, topic: str, letters: Sequence[DeadLetter]) -> None:
        for start in range(0, len(letters), self.concurrency):
            group = letters[start : start + self.concurrency]
            await asyncio.gather(
                *(
                    self.broker.publish(
                        letter, topic, key=(letter.source_key or "").encode() or None
                    )
                    for letter in group
                )
            )
