"""The only module of the notify service that knows MongoDB.

Writes use the client's default write concern (`w: majority` on a replica set, journaled):
a claim or a finish that a failover could roll back would let an SMS go out twice. They are
made in bulk: a batch's claims in one write, and finishes (and delivery-report look-ups)
made at the same time by many sends in one write (`notify.batching.Coalescer`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from notify.batching import Coalescer
from notify.ports import Claim, DueRetry, SendRecord, SendState

Doc = dict[str, Any]
DUPLICATE_KEY = 11000
RECENTLY_SENT = 20_000  # sends remembered for their delivery reports (by key and message id)


@dataclass(frozen=True)
class _Finish:
    key: str
    state: SendState
    message_id: str | None
    reason: str | None
    at: datetime


async def ensure_indexes(db: AsyncDatabase[Doc]) -> None:
    await db["sends"].create_index("message_id", sparse=True)
    await db["sends"].create_index("next_attempt_at", partialFilterExpression={"state": "retrying"})


class MongoSendLog:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["sends"]
        self.finishes: Coalescer[_Finish, None] = Coalescer(self._finish_all)
        self.lookups: Coalescer[str, SendRecord | None] = Coalescer(self._by_messages)
        # A send recorded as sent never changes again, and its delivery report comes to the
        # process that sent it moments later: it is answered from here, not from MongoDB.
        self.recently_sent: dict[str, SendRecord] = {}

    async def claim_many(self, claims: Sequence[Claim]) -> dict[str, SendRecord]:
        if not claims:
            return {}
        now = datetime.now(UTC)
        fresh = {c.key: c for c in claims}
        writes = [
            UpdateOne(
                {"_id": c.key},
                {
                    "$setOnInsert": {
                        "challenge_id": c.challenge_id,
                        "send_number": c.send_number,
                        "state": "sending",
                        "claimed_at": now,
                    }
                },
                upsert=True,
            )
            for c in fresh.values()
        ]
        try:
            result = await self.collection.bulk_write(writes, ordered=False)
            inserted = set((result.upserted_ids or {}).values())
        except BulkWriteError as error:  # another process claimed some at the same moment
            if any(e["code"] != DUPLICATE_KEY for e in error.details["writeErrors"]):
                raise
            inserted = {u["_id"] for u in error.details["upserted"]}
        records = {
            c.key: SendRecord(c.key, c.challenge_id, c.send_number, "sending")
            for c in fresh.values()
            if c.key in inserted
        }
        if existing := [key for key in fresh if key not in inserted]:
            async for doc in self.collection.find({"_id": {"$in": existing}}):
                records[doc["_id"]] = _record(doc)
        return records

    async def finish(
        self, key: str, state: SendState, message_id: str | None, reason: str | None
    ) -> None:
        await self.finishes.submit(_Finish(key, state, message_id, reason, datetime.now(UTC)))

    async def _finish_all(self, finishes: list[_Finish]) -> list[None]:
        await self.collection.bulk_write(
            [
                UpdateOne(
                    {"_id": f.key},
                    {
                        "$set": {
                            "state": f.state,
                            "message_id": f.message_id,
                            "reason": f.reason,
                            "finished_at": f.at,
                        },
                        "$unset": {"request": "", "next_attempt_at": ""},
                    },
                )
                for f in finishes
            ],
            ordered=True,  # two finishes of one send keep their order
        )
        for f in finishes:
            if f.state == "sent":
                self._remember(f.key, f.message_id)
        return [None] * len(finishes)

    def _remember(self, key: str, message_id: str | None) -> None:
        challenge_id, _, send_number = key.rpartition(":")
        record = SendRecord(key, challenge_id, int(send_number), "sent", message_id)
        self.recently_sent[key] = record
        if message_id:
            self.recently_sent[message_id] = record
        while len(self.recently_sent) > RECENTLY_SENT:  # the oldest go first
            del self.recently_sent[next(iter(self.recently_sent))]

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
        if record := self.recently_sent.get(ref):
            return record
        return await self.lookups.submit(ref)

    async def _by_messages(self, refs: list[str]) -> list[SendRecord | None]:
        wanted = list(set(refs))
        found: dict[str, SendRecord] = {}
        query = {"$or": [{"_id": {"$in": wanted}}, {"message_id": {"$in": wanted}}]}
        async for doc in self.collection.find(query):
            record = _record(doc)
            found[doc["_id"]] = record
            if doc.get("message_id"):
                found.setdefault(doc["message_id"], record)
        return [found.get(ref) for ref in refs]


def _record(doc: Doc) -> SendRecord:
    return SendRecord(
        key=doc["_id"],
        challenge_id=doc["challenge_id"],
        send_number=doc["send_number"],
        state=doc["state"],
        message_id=doc.get("message_id"),
    )
