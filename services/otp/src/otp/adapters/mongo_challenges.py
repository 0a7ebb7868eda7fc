"""MongoDB adapters of the OTP challenges and of the guards (rate limits, cool-downs,
refusal counts, wrong-code counts and locks). Ids and filters hold no mobile or Family ID
in clear: the guards get keyed hashes, challenges keep the mobile's keyed hash only."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument, UpdateMany
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from otp.domain.challenge import Challenge, Delivery, Held, lock_duration
from servicekit.pii import keyed_hash

Doc = dict[str, Any]
# Challenges are kept a day past expiry so "expired" can still be answered, then TTL'd.
CHALLENGE_RETENTION = timedelta(days=1)


async def upgrade_challenges(challenges: AsyncCollection[Doc], lookup_key: str) -> None:
    """Challenges stored by earlier versions held the code sealed and the mobile in clear:
    remove both, keeping the mobile's keyed hash (they still verify by their code hash,
    and are not re-sent: `live_or_new` needs a nonce)."""
    old = challenges.find(
        {"$or": [{"sealed_code": {"$exists": True}}, {"mobile": {"$exists": True}}]}
    )
    async for doc in old:
        mobile = doc.get("mobile")
        await challenges.update_one(
            {"_id": doc["_id"]},
            {
                "$unset": {"sealed_code": "", "mobile": ""},
                "$set": {"mobile_key": keyed_hash(lookup_key, "mobile", mobile) if mobile else ""},
            },
        )


class MongoChallenges:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["challenges"]

    async def live_or_new(self, challenge: Challenge, now: datetime) -> Challenge:
        """One round trip: the employee's live challenge with its send number counted
        up, or `challenge` stored as sent once."""
        fresh = challenge.model_dump(
            exclude={"employee_id", "mobile_key", "state", "send_number", "delivery"}
        )
        doc = await self.collection.find_one_and_update(
            {
                "employee_id": challenge.employee_id,
                "state": "active",
                "expires_at": {"$gt": now},
                "mobile_key": challenge.mobile_key,
                "code_nonce": {"$exists": True},
            },
            {
                "$inc": {"send_number": 1},
                "$set": {"delivery": "queued"},
                "$setOnInsert": {
                    "_id": challenge.challenge_id,
                    **fresh,
                    "purge_at": challenge.expires_at + CHALLENGE_RETENTION,
                },
            },
            sort=[("expires_at", -1)],
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None  # upserted
        return Challenge.model_validate(doc)

    async def invalidate_others(self, challenge: Challenge) -> None:
        await self.collection.update_many(
            {
                "employee_id": challenge.employee_id,
                "state": "active",
                "_id": {"$ne": challenge.challenge_id},
            },
            {"$set": {"state": "invalidated"}},
        )

    async def invalidate(self, bindings: Mapping[str, str | None]) -> None:
        if not bindings:
            return
        await self.collection.bulk_write(
            [
                UpdateMany(
                    {
                        "employee_id": employee_id,
                        "state": "active",
                        **({} if mobile_key is None else {"mobile_key": {"$ne": mobile_key}}),
                    },
                    {"$set": {"state": "invalidated"}},
                )
                for employee_id, mobile_key in bindings.items()
            ],
            ordered=False,
        )

    async def get(self, challenge_id: str) -> Challenge | None:
        doc = await self.collection.find_one({"_id": challenge_id})
        return Challenge.model_validate(doc) if doc else None

    async def add_attempt(self, challenge_id: str, max_attempts: int) -> Challenge | None:
        doc = await self.collection.find_one_and_update(
            {"_id": challenge_id, "state": "active"},
            [
                {"$set": {"attempts": {"$add": ["$attempts", 1]}}},
                {
                    "$set": {
                        "state": {
                            "$cond": [{"$gte": ["$attempts", max_attempts]}, "locked", "active"]
                        }
                    }
                },
            ],
            return_document=ReturnDocument.AFTER,
        )
        return Challenge.model_validate(doc) if doc else None

    async def use(self, challenge_id: str) -> bool:
        result = await self.collection.update_one(
            {"_id": challenge_id, "state": "active"}, {"$set": {"state": "verified"}}
        )
        return result.modified_count == 1

    async def lock_all(self, employee_id: str) -> None:
        await self.collection.update_many(
            {"employee_id": employee_id, "state": "active"}, {"$set": {"state": "locked"}}
        )

    async def set_delivery(self, challenge_id: str, delivery: Delivery, version: int) -> None:
        await self.collection.update_one(
            {"_id": challenge_id, "delivery_version": {"$lt": version}},
            {"$set": {"delivery": delivery, "delivery_version": version}},
        )


class MongoGuards:
    """Fixed-window counters for rate limits; per-employee failure counts and locks."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["guards"]

    async def hit(self, key: str, limit: int, window_seconds: int, now: datetime) -> int | None:
        start = int(now.timestamp()) // window_seconds * window_seconds
        end = datetime.fromtimestamp(start + window_seconds, tz=now.tzinfo)
        doc = await self.collection.find_one_and_update(
            {"_id": f"rate:{key}:{start}"},
            {"$inc": {"count": 1}, "$setOnInsert": {"purge_at": end}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None  # upserted
        if doc["count"] <= limit:
            return None
        return max(1, int((end - now).total_seconds()))

    async def admit_send(
        self, employee_id: str, limit: int, window_seconds: int, cooldown: int, now: datetime
    ) -> tuple[Held, int] | None:
        """One round trip on the employee's guard document: unless they are locked or
        cooling down, count one send in the current window. Locks and failure counts live
        in the same document, so it is kept as long as the longer of its purposes needs."""
        start = int(now.timestamp()) // window_seconds * window_seconds
        end = datetime.fromtimestamp(start + window_seconds, tz=now.tzinfo)
        # A missing lock or last send compares below any date.
        locked = {"$gt": ["$locked_until", now]}
        cooling = {"$gt": ["$last_send_at", now - timedelta(seconds=cooldown)]}
        held = {"$or": [locked, cooling]}
        sends = {"$cond": [{"$eq": ["$send_window", start]}, {"$ifNull": ["$sends", 0]}, 0]}
        doc = await self.collection.find_one_and_update(
            {"_id": f"employee:{employee_id}"},
            [
                {
                    "$set": {
                        "admitted": {"$not": [held]},
                        "sends": {"$cond": [held, "$sends", {"$add": [sends, 1]}]},
                        "send_window": {"$cond": [held, "$send_window", start]},
                        "last_send_at": {"$cond": [held, "$last_send_at", now]},
                        "purge_at": {"$max": ["$purge_at", end]},
                    }
                }
            ],
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None  # upserted
        until = doc.get("locked_until")
        if until is not None and until > now:
            return "challenge_locked", max(1, int((until - now).total_seconds()))
        if not doc["admitted"]:
            ready = doc["last_send_at"] + timedelta(seconds=cooldown)
            return "rate_limited", max(1, math.ceil((ready - now).total_seconds()))
        if doc["sends"] <= limit:
            return None
        return "rate_limited", max(1, int((end - now).total_seconds()))

    async def refusals(self, keys: Sequence[str], window_seconds: int, now: datetime) -> int:
        start = int(now.timestamp()) // window_seconds * window_seconds
        ids = [f"refusal:{key}:{start}" for key in keys]
        counts = [doc["count"] async for doc in self.collection.find({"_id": {"$in": ids}})]
        return max(counts, default=0)

    async def count_refusal(
        self, keys: Sequence[str], window_seconds: int, now: datetime
    ) -> list[int]:
        start = int(now.timestamp()) // window_seconds * window_seconds
        end = datetime.fromtimestamp(start + window_seconds, tz=now.tzinfo)
        docs = await asyncio.gather(
            *(
                self.collection.find_one_and_update(
                    {"_id": f"refusal:{key}:{start}"},
                    {"$inc": {"count": 1}, "$setOnInsert": {"purge_at": end}},
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
                for key in keys
            )
        )
        return [int(doc["count"]) if doc else 1 for doc in docs]

    async def add_failure(
        self, employee_id: str, threshold: int, first_lock: int, longest_lock: int, now: datetime
    ) -> bool:
        doc = await self.collection.find_one_and_update(
            {"_id": f"employee:{employee_id}"},
            {"$inc": {"failures": 1}, "$set": {"purge_at": now + timedelta(days=7)}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None  # upserted
        if doc["failures"] < threshold:
            return False
        locks = int(doc.get("locks", 0))
        await self.collection.update_one(
            {"_id": f"employee:{employee_id}"},
            {
                "$set": {
                    "failures": 0,
                    "locks": locks + 1,
                    "locked_until": now + lock_duration(locks, first_lock, longest_lock),
                }
            },
        )
        return True

    async def clear_failures(self, employee_id: str) -> None:
        await self.collection.update_one(
            {"_id": f"employee:{employee_id}", "failures": {"$gt": 0}}, {"$set": {"failures": 0}}
        )
