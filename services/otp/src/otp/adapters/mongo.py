"""The only module of the OTP service that knows MongoDB."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from contracts.ingest import MasterDataChanged
from servicekit.mongo import upsert_if_newer


class MongoMasterData:
    """Master data keyed `<entity type>:<code>`, guarded by the event's source version."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.collection = db["master_data"]

    async def apply(self, event: MasterDataChanged) -> bool:
        return await upsert_if_newer(
            self.collection,
            f"{event.entity_type}:{event.code}",
            event.source_version,
            event.model_dump(
                mode="json",
                include={"entity_type", "code", "name", "parent_type", "parent_code", "active"},
            ),
        )
