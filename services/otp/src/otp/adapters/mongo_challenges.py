"""MongoDB adapter of the OTP challenges (the guards are in `guards`). Ids and filters
hold no mobile in clear: challenges keep the mobile's keyed hash only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument, UpdateMany, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from otp.domain.challenge import Challenge, Delivery
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

    async def set_deliveries(self, deliveries: Sequence[tuple[str, Delivery, int]]) -> None:
        if deliveries:
            await self.collection.bulk_write(
                [
                    UpdateOne(
                        {"_id": challenge_id, "delivery_version": {"$lt": version}},
                        {"$set": {"delivery": delivery, "delivery_version": version}},
                    )
                    for challenge_id, delivery, version in deliveries
                ],
                ordered=False,
            )
