"""The certification service's view of the source data, in its own MongoDB database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from certification.domain.model import Placement
from certification.domain.placed import Placeable
from contracts.ingest import MasterDataChanged
from servicekit.mongo import upsert_if_newer
from servicekit.pii import mask_mobile

DUPLICATE_KEY = 11000


def placement_of(event: Placeable) -> Placement:
    return Placement(
        employee_id=event.employee_id,
        source=event.source,
        office_code=event.ddo_code or event.office_code,
        ddo_code=event.ddo_code,
        district_office_code=event.office_code,
        department_code=event.department_code,
        mobile_masked=mask_mobile(event.mobile) if event.mobile else None,
        source_version=event.source_version,
    )


class MongoDirectory:
    """`employees` (placements, keyed by employee id) and `master_data`
    (`<entity type>:<code>`), both guarded by the events' source versions."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.employees = db["employees"]
        self.master = db["master_data"]

    async def ensure_indexes(self) -> None:
        await self.master.create_index([("parent_type", ASCENDING), ("parent_code", ASCENDING)])

    async def apply_record(self, event: Placeable) -> bool:
        fields = placement_of(event).model_dump(mode="json", exclude={"source_version"})
        return await upsert_if_newer(
            self.employees, event.employee_id, event.source_version, fields
        )

    async def apply_records(self, events: Sequence[Placeable]) -> int:
        """`apply_record` for a batch, in one unordered bulk write. Each upsert carries the
        version condition in its filter, so the outcome does not depend on the order the
        server applies them in: two records of one employee leave the newer one."""
        operations = [
            UpdateOne(
                {"_id": event.employee_id, "source_version": {"$lt": event.source_version}},
                {
                    "$set": {
                        **placement_of(event).model_dump(mode="json", exclude={"source_version"}),
                        "source_version": event.source_version,
                    }
                },
                upsert=True,
            )
            for event in events
        ]
        if not operations:
            return 0
        try:
            result = await self.employees.bulk_write(operations, ordered=False)
        except BulkWriteError as error:  # a stale or repeated record misses and is refused
            if any(e["code"] != DUPLICATE_KEY for e in error.details["writeErrors"]):
                raise
            return int(error.details["nModified"]) + int(error.details["nUpserted"])
        return result.modified_count + result.upserted_count

    async def apply_master(self, event: MasterDataChanged) -> bool:
        return await upsert_if_newer(
            self.master,
            f"{event.entity_type}:{event.code}",
            event.source_version,
            event.model_dump(
                mode="json",
                include={"entity_type", "code", "name", "parent_type", "parent_code", "active"},
            ),
        )

    async def placement(self, employee_id: str) -> Placement | None:
        doc = await self.employees.find_one({"_id": employee_id})
        return _placement(doc) if doc else None

    async def placements(self, employee_ids: Sequence[str]) -> dict[str, Placement]:
        found: dict[str, Placement] = {}
        async for doc in self.employees.find({"_id": {"$in": list(set(employee_ids))}}):
            found[doc["_id"]] = _placement(doc)
        return found

    async def department_offices(self, department: str) -> set[str]:
        offices = [
            doc["code"]
            async for doc in self.master.find(
                {"entity_type": "office", "parent_type": "department", "parent_code": department}
            )
            if doc.get("active", True)
        ]
        ddos = [
            doc["code"]
            async for doc in self.master.find(
                {"entity_type": "ddo", "parent_type": "office", "parent_code": {"$in": offices}}
            )
            if doc.get("active", True)
        ]
        direct = [  # a DDO the master data hangs directly under the department
            doc["code"]
            async for doc in self.master.find(
                {"entity_type": "ddo", "parent_type": "department", "parent_code": department}
            )
            if doc.get("active", True)
        ]
        return {*offices, *ddos, *direct}


def _placement(doc: dict[str, Any]) -> Placement:
    doc = {k: v for k, v in doc.items() if k != "_id"}
    return Placement.model_validate(doc)
