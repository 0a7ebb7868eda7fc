"""The MongoDB client every service opens (PyMongo's native async API)."""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError


def open_mongo(uri: str, app_name: str) -> AsyncMongoClient[dict[str, Any]]:
    """A client that connects lazily: nothing is reached until the first operation."""
    return AsyncMongoClient(
        uri, appname=app_name, tz_aware=True, serverSelectionTimeoutMS=5000, connect=False
    )


async def ping_mongo(client: AsyncMongoClient[dict[str, Any]]) -> None:
    """Raises when MongoDB cannot be reached."""
    await client.admin.command("ping")


async def upsert_if_newer(
    collection: AsyncCollection[dict[str, Any]],
    key: str,
    version: int,
    fields: dict[str, Any],
    version_field: str = "source_version",
) -> bool:
    """Write `fields` under `_id=key` only if `version` is newer than what is stored.

    The version condition sits in the upsert filter: when the stored document is as new
    or newer, the filter misses, the upsert tries to insert a second `_id`, and the
    duplicate-key error is the signal that the event was stale or a duplicate. Returns
    True when the write took effect. Safe under concurrent and repeated delivery.
    """
    try:
        await collection.update_one(
            {"_id": key, version_field: {"$lt": version}},
            {"$set": {**fields, version_field: version}},
            upsert=True,
        )
    except DuplicateKeyError:
        return False
    return True
