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
database and `saw_code` / `used` what the tests handled; `finish()` asserts. What counts
as personal data is in tests/pii_text.py, the reading back in tests/pii_reading.py.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from pymongo import AsyncMongoClient

from tests.pii_reading import collection_keys, collection_values, mongod_log, topic_messages
from tests.pii_text import aadhaar_like, contains_token, personal_values

__all__ = ["PiiScan", "aadhaar_like", "collection_keys", "contains_token"]


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
