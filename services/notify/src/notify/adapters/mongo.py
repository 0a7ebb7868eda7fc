"""The only module of the notify service that knows MongoDB."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from notify.ports import SendRecord, SendState

Doc = dict[str, Any]


async def ensure_indexes(db: AsyncDatabase[Doc]) -> None:
    await db["sends"].create_index("message_id", sparse=True)


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
                }
            },
        )

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
