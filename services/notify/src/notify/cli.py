"""`python -m notify dlq replay`: the operator's side of notify (settings from the
environment, as the service reads them)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pydantic import BaseModel

from contracts import topics
from contracts.dlq import DeadLetter
from notify.adapters.mongo import MongoSendLog
from notify.replay import parse_args, replay
from notify.settings import NotifySettings
from servicekit.mongo import open_mongo

USAGE = "usage: python -m notify dlq replay [--since ISO-TIME] [--challenge ID ...]"


async def read_dead_letters(bootstrap: str) -> list[DeadLetter]:
    """Every letter now on sms-requests.v1.dlq, from the start (no consumer group)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    letters: list[DeadLetter] = []
    try:
        topic = topics.dlq(topics.SMS_REQUESTS)
        partitions = [TopicPartition(topic, p) for p in sorted(await _partitions(bootstrap, topic))]
        if not partitions:
            return letters
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            batch = await consumer.getmany(*partitions, timeout_ms=1000)
            for records in batch.values():
                for record in records:
                    try:
                        letters.append(DeadLetter.model_validate_json(record.value or b""))
                    except ValueError:
                        continue
    finally:
        await consumer.stop()
    return letters


async def _partitions(bootstrap: str, topic: str) -> set[int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [entry] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return {p["partition"] for p in entry.get("partitions", [])}


async def replay_dead_letters(
    settings: NotifySettings, argv: Sequence[str], now: datetime | None = None
) -> list[str]:
    since, challenges = parse_args(argv)
    letters = await read_dead_letters(settings.kafka_bootstrap_servers)
    mongo = open_mongo(settings.mongodb_uri, "notify-cli")
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers, enable_idempotence=True
    )
    await producer.start()

    async def publish(topic: str, event: BaseModel) -> None:
        key: Any = getattr(event, "partition_key", None)
        await producer.send_and_wait(
            topic, event.model_dump_json().encode(), key=key.encode() if key else None
        )

    try:
        report = await replay(
            letters,
            MongoSendLog(mongo[settings.mongodb_database]),
            publish,
            now or datetime.now(UTC),
            since,
            (lambda c: c in challenges) if challenges else (lambda _: True),
        )
    finally:
        await producer.stop()
        await mongo.close()
    return report.lines()


def main(argv: Sequence[str]) -> int:
    if list(argv[:2]) != ["dlq", "replay"]:
        print(USAGE, file=sys.stderr)
        return 2
    for line in asyncio.run(replay_dead_letters(NotifySettings(), argv[2:])):
        print(line)
    return 0
