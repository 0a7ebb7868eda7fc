"""The only module of the notify service that knows MongoDB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from notify.ports import DueRetry, SendRecord, SendState

Doc = dict[str, Any]


async def ensure_indexes(db: AsyncDatabase[Doc]) -> None:
    await db["sends"].create_index("message_id", sparse=True)
    await db["sends"].create_index("next_attempt_at", partialFilterExpression={"state": "retrying"})


class MongoSendLog:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["sends"]

    async def claim(self, key: str, challenge_id: str, send_number: int) -> SendRecord:
        doc = await self.collection.find_one_and_update(
            {"_id": key},
            {
                "$setOnInsert": {
                    "challenge_id": challenge_id,
                    "send_number": send_number,
                    "state": "sending",
                    "claimed_at": datetime.now(UTC),
                }
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None
        return _record(doc)

    async def finish(
        self, key: str, state: SendState, message_id: str | None, reason: str | None
    ) -> None:
        await self.collection.update_one(
            {"_id": key},
            {
                "$set": {
                    "state": state,
                    "message_id": message_id,
                    "reason": reason,
                    "finished_at": datetime.now(UTC),
                },
                "$unset": {"request": "", "next_attempt_at": ""},
            },
        )

    async def schedule(
        self, key: str, request: str, attempts: int, next_attempt_at: datetime, reason: str
    ) -> None:
        await self.collection.update_one(
            {"_id": key},
            {
                "$set": {
                    "state": "retrying",
                    "request": request,
                    "attempts": attempts,
                    "next_attempt_at": next_attempt_at,
                    "reason": reason,
                }
            },
        )

    async def take_due(self, now: datetime, lease: timedelta, limit: int) -> list[DueRetry]:
        taken: list[DueRetry] = []
        for _ in range(limit):
            doc = await self.collection.find_one_and_update(
                {"state": "retrying", "next_attempt_at": {"$lte": now}},
                {"$set": {"next_attempt_at": now + lease}},
                sort=[("next_attempt_at", 1)],
            )
            if doc is None:
                break
            taken.append(
                DueRetry(
                    doc["_id"],
                    doc["request"],
                    int(doc.get("attempts", 0)),
                    doc.get("reason") or "gateway unavailable",
                )
            )
        return taken

    async def count_retrying(self) -> int:
        return await self.collection.count_documents({"state": "retrying"})

    async def reopen_failed(self, key: str) -> bool:
        deleted = await self.collection.delete_one({"_id": key, "state": "failed"})
        return deleted.deleted_count == 1

    async def by_message(self, ref: str) -> SendRecord | None:
        doc = await self.collection.find_one({"$or": [{"_id": ref}, {"message_id": ref}]})
        return _record(doc) if doc else None


def _record(doc: Doc) -> SendRecord:
    return SendRecord(
        key=doc["_id"],
        challenge_id=doc["challenge_id"],
        send_number=doc["send_number"],
        state=doc["state"],
        message_id=doc.get("message_id"),
    )
