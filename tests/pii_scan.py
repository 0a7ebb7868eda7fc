"""A scan for personal data where it must never be, run after the tests of a module.

What the tests of a module leave behind is read back whole: every message of the project's
topics and their dead-letter topics written while the module ran (those naming one of the
module's employees, challenges or batches), every collection of the module's databases (the
values, the `_id`s and the key of every index entry), the service log records captured
while it ran, and the lines of mongod's log that name one of its databases. The scan fails
on:

- an Aadhaar-like number anywhere, found by the scanner the services redact with
  (`servicekit.aadhaar`: 12 digits with or without separators, the first 2-9, Verhoeff
  check digit valid; a 91-prefixed mobile is a mobile);
- a clear OTP code a test saw, anywhere;
- a full mobile or Family ID a test used, in a log, an `_id` or an index key.

Use: a module-scoped `PiiScan` (see the integration conftests); harnesses `watch` each
database and `saw_code` / `used` what the tests handled; `finish()` asserts.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from pymongo import AsyncMongoClient

from contracts import topics
from servicekit.aadhaar import aadhaar_spans, contains_aadhaar
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

# --- Aadhaar-like numbers ---------------------------------------------------------------

# One scanner: the one the services redact with (servicekit.aadhaar). Documents lose their
# hex digests first (tests.factories.aadhaar), and any text its UUIDs, hex runs and decimal
# fractions (messages and log lines are read as text): none is a number a person holds.
_HEXISH = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|(?<![0-9a-zA-Z])[0-9a-f]{24,}(?![0-9a-zA-Z])"
)
_FRACTION = re.compile(r"(?<=\d)\.\d+")


def _readable(text: str) -> str:
    return _FRACTION.sub(".", _HEXISH.sub(" ", text))


def aadhaar_like(text: str) -> list[str]:
    """The Aadhaar-like numbers in `text`, as `servicekit.aadhaar` finds them (12 digits,
    first 2-9, Verhoeff valid, alone or with separators), 91-prefixed mobiles excepted."""
    text = _readable(text)
    if not contains_aadhaar(text, phone=True):
        return []
    return [text[start:end] for start, end in aadhaar_spans(text, phone=True)]


def _dumps(value: Any) -> str:
    return json.dumps(without_digests(value), default=str, ensure_ascii=False)


def contains_token(text: str, value: str) -> bool:
    """`value` in `text` as a whole token (not inside a longer run of letters or digits)."""
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", text) is not None


# --- reading back ---------------------------------------------------------------------


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif value is not None:
        yield str(value)


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


PII_FIELDS = ("mobile", "family_id", "corrected_mobile", "corrected_family_id")


def personal_values(documents: Iterable[str]) -> set[str]:
    """The mobiles and Family IDs held in documents (the values of their PII fields)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in PII_FIELDS and isinstance(item, str) and len(item) >= 8:
                    found.add(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for text in documents:
        walk(json.loads(text))
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


# --- the scan ---------------------------------------------------------------------------


# The tests' own HTTP client logs each request it sends (an upload's file name holding an
# Aadhaar number on purpose, say): what a test sent, not what a service logged.
CLIENT_LOGGERS = ("httpx", "httpcore")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.partition(".")[0] in CLIENT_LOGGERS:
            return
        self.lines.append(f"{record.name} {record.getMessage()}")


@dataclass
class PiiScan:
    """What a module's tests handled, and the scan of what they left behind."""

    kafka: str
    mongo: AsyncMongoClient[dict[str, Any]]
    databases: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    personal: set[str] = field(default_factory=set)
    started_ms: int = field(default_factory=lambda: int(time.time() * 1000) - 1000)
    _log: _Records = field(default_factory=_Records)
    _mongod_offset: int = 0

    def start(self) -> None:
        logging.getLogger().addHandler(self._log)
        if logging.getLogger().level > logging.INFO:
            logging.getLogger().setLevel(logging.INFO)
        log = mongod_log()
        self._mongod_offset = log.stat().st_size if log else 0

    def watch(self, database: str) -> None:
        self.databases.add(database)

    def saw_code(self, code: str) -> None:
        self.codes.add(code)

    def used(self, *values: str | None) -> None:
        self.personal.update(v for v in values if v and len(v) >= 8)

    async def finish(self) -> None:
        logging.getLogger().removeHandler(self._log)
        problems: list[str] = []
        keys, values, markers = [], [], set()
        for name in sorted(self.databases):
            db = self.mongo[name]
            keys += await collection_keys(db)
            held = await collection_values(db)
            values += held
            markers |= await _markers(db)
        personal = self.personal | personal_values(text for _, text in values)
        messages = [
            (topic, text)
            for topic, text in await topic_messages(self.kafka, self.started_ms)
            if any(marker in text for marker in markers)
        ]
        logs = [("service log", line) for line in self._log.lines]
        logs += [("mongod log", line) for line in self._mongod_lines()]

        for where, text in [*messages, *values, *keys, *logs]:
            if found := aadhaar_like(text):
                problems.append(f"Aadhaar-like {found} in {where}: {text[:300]}")
            problems += [
                f"OTP code in {where}: {text[:300]}"
                for code in self.codes
                if contains_token(text, code)
            ]
        for where, text in [*keys, *logs]:
            problems += [
                f"personal value {value[:2]}...{value[-2:]} in {where}: {text[:300]}"
                for value in personal
                if value in text
            ]
        assert not problems, "\n".join(problems[:20])

    def _mongod_lines(self) -> list[str]:
        log = mongod_log()
        if log is None or not self.databases:
            return []
        with log.open("rb") as handle:
            handle.seek(self._mongod_offset)
            text = handle.read().decode("utf-8", "replace")
        return [
            line
            for line in text.splitlines()
            if any(f'"{name}' in line or f"{name}." in line for name in self.databases)
        ]


async def _markers(db: Any) -> set[str]:
    """Ids that name what a database's tests produced: employees, challenges, batches."""
    markers: set[str] = set()
    for name in ("views", "employees", "challenges", "batches", "certifications"):
        if name in await db.list_collection_names():
            markers |= {str(doc["_id"]) async for doc in db[name].find({}, {"_id": 1})}
    return {marker for marker in markers if len(marker) >= 8}
