"""Unique ids and ready-made events for tests, one module per service beside this one.

Every test gets its own keys, so tests can share one Kafka broker and one mongod
without seeing each other's data."""

from __future__ import annotations

import itertools
import time
import uuid

from contracts.ingest import MasterDataChanged

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def next_version() -> int:
    """Strictly increasing within a test run."""
    return time.time_ns() // 1000 + next(_counter)


def master_data(
    code: str | None = None, version: int | None = None, **fields: object
) -> MasterDataChanged:
    code = code or unique("DDO")
    values: dict[str, object] = {
        "entity_type": "ddo",
        "code": code,
        "name": f"DDO {code}",
        "producer": "tests",
        "correlation_id": unique("corr"),
        "partition_key": f"ddo:{code}",
        "source_version": version if version is not None else next_version(),
    }
    values.update(fields)
    return MasterDataChanged.model_validate(values)
