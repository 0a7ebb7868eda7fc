"""Portal refusals as facts, one document each, in their own collection (MongoDB)."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from otp.domain.refusal import Refusal

Doc = dict[str, Any]


class MongoRefusals:
    """The `refusals` collection: who was refused, when, why, from which portal client,
    with the typed value masked."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["refusals"]

    async def add(self, refusal: Refusal) -> None:
        doc = refusal.model_dump(mode="python", exclude={"refusal_id"})
        await self.collection.insert_one({"_id": refusal.refusal_id, **doc})
