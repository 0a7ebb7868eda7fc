"""Reading back what a module's tests left, for the PII scan (tests/pii_scan.py): every
message written since a point in time on the project's topics and their dead-letter
topics, every `_id`, index entry's key and document of a database (as text, hex digests
blanked), and mongod's log file of the local servers."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts import topics
from tests.factories.aadhaar import without_digests

ROOT = Path(__file__).resolve().parents[1]
PROJECT_TOPICS = (
    topics.EMPLOYEE_RECORDS,
    topics.MASTER_DATA,
    topics.CERTIFICATIONS,
    topics.SMS_REQUESTS,
    topics.SMS_STATUS,
    topics.ELIGIBILITY_CHANGES,
)
ALL_TOPICS = PROJECT_TOPICS + tuple(topics.dlq(t) for t in PROJECT_TOPICS)


def _dumps(value: Any) -> str:
    return json.dumps(without_digests(value), default=str, ensure_ascii=False)


async def collection_keys(db: Any) -> list[tuple[str, str]]:
    """(where, text) of every `_id` and every index entry's key in every collection."""
    found: list[tuple[str, str]] = []
    for name in await db.list_collection_names():
        collection = db[name]
        async for doc in collection.find({}, {"_id": 1}):
            found.append((f"{name}._id", _dumps(doc["_id"])))
        async for index in await collection.list_indexes():
            if index["name"] == "_id_":
                continue
            cursor = collection.find({}, return_key=True, hint=index["name"])
            async for entry in cursor:
                found.append((f"{name}.{index['name']}", _dumps(entry)))
    return found


async def collection_values(db: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name in await db.list_collection_names():
        async for doc in db[name].find():
            found.append((name, _dumps(doc)))
    return found


async def topic_messages(kafka: str, since_ms: int) -> list[tuple[str, str]]:
    """(topic, "key value") of every message on the project's topics and DLQs written
    since `since_ms`."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, enable_auto_commit=False)
    await consumer.start()
    found: list[tuple[str, str]] = []
    try:
        existing = await consumer.topics()
        partitions = [
            TopicPartition(topic, p)
            for topic in ALL_TOPICS
            if topic in existing
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return found
        ends = await consumer.end_offsets(partitions)
        starts = await consumer.offsets_for_times(dict.fromkeys(partitions, since_ms))
        todo = {
            tp: (start.offset, ends[tp])
            for tp, start in starts.items()
            if start is not None and start.offset < ends[tp]
        }
        if not todo:
            return found
        consumer.assign(list(todo))
        for tp, (offset, _) in todo.items():
            consumer.seek(tp, offset)
        remaining = {tp: end for tp, (_, end) in todo.items()}
        deadline = time.monotonic() + 300  # a shared broker may hold many since
        while remaining:
            assert time.monotonic() < deadline, f"topics not read to their end: {remaining}"
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            for tp, records in batches.items():
                for record in records:
                    text = (record.value or b"").decode("utf-8", "replace")
                    key = (record.key or b"").decode("utf-8", "replace")
                    found.append((tp.topic, f"{key} {text}"))
                    if record.offset + 1 >= remaining.get(tp, 0):
                        remaining.pop(tp, None)
    finally:
        await consumer.stop()
    return found


def mongod_log() -> Path | None:
    """mongod's log file of the local servers (SEVA_STATE_DIR, else .local), if any."""
    path = Path(os.environ.get("SEVA_STATE_DIR", ROOT / ".local")) / "logs" / "mongod.log"
    return path if path.exists() else None
