"""The only module of the ingest service that knows MongoDB.

Collections: `employees` and `master_data` (latest accepted version, content hash and
record per key), `links` (employee ids per identity key), `quarantine` (rejected rows),
`batches` (batch reports).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from pymongo import ASCENDING, InsertOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from ingest.ports import Stored
from ingest.reports import BatchReport, Rejected
from servicekit.pii import keyed_hash

Doc = dict[str, Any]
DUPLICATE_KEY = 11000
CODE_FIELDS = {"department": "department_code", "office": "office_code"} | {
    "post": "post_code",
    "ddo": "ddo_code",
    "head": "heads_of_account",
}


async def ensure_indexes(db: AsyncDatabase[Doc]) -> None:
    await db["quarantine"].create_index([("batch_id", ASCENDING), ("row_number", ASCENDING)])
    await db["employees"].create_index([("record.source", ASCENDING)])


class MongoVersioned:
    """Latest version per `_id`; the version condition sits in each upsert's filter, so a
    write that is not newer misses, tries to insert a second `_id` and is ignored."""

    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self.collection = collection

    async def load(self, keys: Sequence[str]) -> dict[str, Stored]:
        found: dict[str, Stored] = {}
        async for doc in self.collection.find({"_id": {"$in": list(keys)}}):
            found[doc["_id"]] = Stored(
                doc["_id"], doc["source_version"], doc["content_hash"], doc["record"]
            )
        return found

    async def save(self, items: Sequence[Stored]) -> int:
        if not items:
            return 0
        ops = [
            UpdateOne(
                {"_id": item.key, "source_version": {"$lt": item.source_version}},
                {
                    "$set": {
                        "source_version": item.source_version,
                        "content_hash": item.content_hash,
                        "record": dict(item.record),
                    }
                },
                upsert=True,
            )
            for item in items
        ]
        try:
            result = await self.collection.bulk_write(ops, ordered=False)
        except BulkWriteError as error:
            details = error.details
            if any(e["code"] != DUPLICATE_KEY for e in details["writeErrors"]):
                raise
            return int(details["nModified"]) + int(details["nUpserted"])
        return result.modified_count + result.upserted_count


class MongoLinks:
    """Employee ids per identity key. An identity key holds a Family ID and a mobile or
    a name and birth date, so it is stored as its keyed hash (`INGEST_LINK_KEY`): no
    `_id`, nor the server's log quoting one (a duplicate-key line), holds them in clear."""

    def __init__(self, collection: AsyncCollection[Doc], link_key: str) -> None:
        self.collection = collection
        self.link_key = link_key

    def _id(self, key: str) -> str:
        return keyed_hash(self.link_key, "link", key)

    async def find(self, keys: Iterable[str]) -> dict[str, set[str]]:
        by_id = {self._id(key): key for key in keys}
        if not by_id:
            return {}
        return {
            by_id[doc["_id"]]: set(doc["ids"])
            async for doc in self.collection.find({"_id": {"$in": list(by_id)}})
        }

    async def add(self, entries: Iterable[tuple[str, str]], new: Collection[str] = ()) -> None:
        owners: dict[str, list[str]] = {}
        for key, own in entries:
            owners.setdefault(key, [])
            if own not in owners[key]:
                owners[key].append(own)
        fresh = [key for key in owners if key in new]
        if fresh:  # one insert each (an upsert first looks the key up, and misses)
            try:
                await self.collection.bulk_write(
                    [InsertOne({"_id": self._id(key), "ids": owners[key]}) for key in fresh],
                    ordered=False,
                )
                fresh = []
            except BulkWriteError as error:  # filed meanwhile: added to below instead
                if any(e["code"] != DUPLICATE_KEY for e in error.details["writeErrors"]):
                    raise
                fresh = [fresh[e["index"]] for e in error.details["writeErrors"]]
        added = [key for key in owners if key not in new] + fresh
        ops = [
            UpdateOne(
                {"_id": self._id(key)}, {"$addToSet": {"ids": {"$each": owners[key]}}}, upsert=True
            )
            for key in added
        ]
        if ops:
            await self.collection.bulk_write(ops, ordered=False)

    async def rehash_clear_ids(self) -> int:
        """Move links stored under a clear identity key (before keys were hashed) to their
        hashed id; how many were moved."""
        moved = 0
        async for doc in self.collection.find({"_id": {"$regex": r"\|"}}):
            await self.add((doc["_id"], own) for own in doc["ids"])
            await self.collection.delete_one({"_id": doc["_id"]})
            moved += 1
        return moved


class MongoUsage:
    """Codes used by the employee records ingest holds, counted per source."""

    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self.collection = collection

    async def codes_in_use(self) -> list[tuple[str, str, str, int]]:
        rows: list[tuple[str, str, str, int]] = []
        for kind, name in CODE_FIELDS.items():
            pipeline: list[Doc] = [
                {"$match": {f"record.{name}": {"$nin": [None, ""]}}},
                {"$unwind": f"$record.{name}"},  # heads are a list; a scalar stays one row
                {
                    "$group": {
                        "_id": {"source": "$record.source", "code": f"$record.{name}"},
                        "n": {"$sum": 1},
                    }
                },
            ]
            async for doc in await self.collection.aggregate(pipeline):
                rows.append((doc["_id"]["source"], kind, doc["_id"]["code"], doc["n"]))
        return rows


class MongoMasterCodes:
    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self.collection = collection

    async def known_codes(self) -> set[tuple[str, str]]:
        # A head counts as known only once master data classifies its funding.
        cursor = self.collection.find(
            {
                "record.active": {"$ne": False},
                "$or": [
                    {"record.entity_type": {"$ne": "head"}},
                    {"record.funding": {"$in": ["state", "centrally_sponsored"]}},
                ],
            },
            {"record.entity_type": 1, "record.code": 1},
        )
        return {(d["record"]["entity_type"], d["record"]["code"]) async for d in cursor}


class MongoQuarantine:
    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self.collection = collection

    async def add(self, rows: Sequence[Rejected]) -> None:
        ops = [
            UpdateOne(
                {"_id": f"{row.batch_id}:{row.row_number}:{row.field}"},
                {"$set": row.model_dump(mode="json")},
                upsert=True,
            )
            for row in rows
        ]
        if ops:
            await self.collection.bulk_write(ops, ordered=False)

    async def list(self, batch_id: str, skip: int, limit: int) -> list[Rejected]:
        cursor = (
            self.collection.find({"batch_id": batch_id}, {"_id": 0})
            .sort([("row_number", ASCENDING)])
            .skip(skip)
            .limit(limit)
        )
        return [Rejected.model_validate(doc) async for doc in cursor]


class MongoBatches:
    def __init__(self, collection: AsyncCollection[Doc]) -> None:
        self.collection = collection

    async def save(self, report: BatchReport) -> None:
        await self.collection.replace_one(
            {"_id": report.batch_id}, report.model_dump(mode="json"), upsert=True
        )

    async def get(self, batch_id: str) -> BatchReport | None:
        doc = await self.collection.find_one({"_id": batch_id}, {"_id": 0})
        return BatchReport.model_validate(doc) if doc else None
