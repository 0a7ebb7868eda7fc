"""The MongoDB adapters of the OTP service: views, master data, reports, indexes
(challenges and guards in `mongo_challenges`)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from pymongo import ASCENDING, InsertOne, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from contracts.ingest import MasterDataChanged
from otp.adapters.mongo_challenges import upgrade_challenges
from otp.domain.view import EmployeeView
from servicekit.mongo import upsert_if_newer
from servicekit.pii import keyed_hash

Doc = dict[str, Any]
DUPLICATE_KEY = 11000


async def ensure_indexes(db: AsyncDatabase[Doc], lookup_key: str) -> None:
    # Look-ups by Family ID and mobile go through keyed hashes: no index (nor the server's
    # log quoting one) holds either in clear. Indexes of the clear fields are dropped.
    for stale in ("family_id_1", "mobile_1"):
        with contextlib.suppress(OperationFailure):  # absent
            await db["views"].drop_index(stale)
    await db["views"].create_index("family_key")
    await db["views"].create_index("mobile_key")
    await MongoViews(db, lookup_key).rekey()
    await db["views"].create_index("ddo_code")
    await db["views"].create_index("office_code")
    await db["views"].create_index([("decision.gate.open", ASCENDING), ("ddo_code", ASCENDING)])
    await db["views"].create_index([("blocked", ASCENDING), ("ddo_code", ASCENDING)])
    await db["views"].create_index("person_id")
    await db["refusals"].create_index([("employee_id", ASCENDING), ("at", ASCENDING)])
    await db["challenges"].create_index([("employee_id", ASCENDING), ("expires_at", ASCENDING)])
    await db["challenges"].create_index("purge_at", expireAfterSeconds=0)
    await db["guards"].create_index("purge_at", expireAfterSeconds=0)
    await upgrade_challenges(db["challenges"], lookup_key)


class MongoMasterData:
    """Master data keyed `<entity type>:<code>`, guarded by the event's source version."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["master_data"]

    async def apply(self, event: MasterDataChanged) -> bool:
        return await upsert_if_newer(
            self.collection,
            f"{event.entity_type}:{event.code}",
            event.source_version,
            event.model_dump(
                mode="json",
                include={
                    *("entity_type", "code", "name", "parent_type", "parent_code", "active"),
                    *("funding", "employment"),
                },
            ),
        )

    async def department_offices(self, department: str) -> set[str]:
        offices = [
            doc["code"]
            async for doc in self.collection.find(
                {"entity_type": "office", "parent_type": "department", "parent_code": department}
            )
            if doc.get("active", True)
        ]
        ddos = [
            doc["code"]
            async for doc in self.collection.find(
                {
                    "entity_type": "ddo",
                    "$or": [
                        {"parent_type": "office", "parent_code": {"$in": offices}},
                        {"parent_type": "department", "parent_code": department},
                    ],
                }
            )
            if doc.get("active", True)
        ]
        return {*offices, *ddos}


class MongoViews:
    """Views by employee id, stored with the keyed hashes of their Family ID and mobile
    that the portal's look-up finds them by (`portal_reads`)."""

    def __init__(self, db: AsyncDatabase[Doc], lookup_key: str) -> None:
        self.collection = db["views"]
        self.lookup_key = lookup_key
        self.key_id = keyed_hash(lookup_key, "key-id", "")[:8]

    def _key(self, kind: str, value: str | None) -> str | None:
        return keyed_hash(self.lookup_key, kind, value) if value else None

    def _doc(self, view: EmployeeView) -> Doc:
        """The stored form of a view, with the fields the portal and the reports look up."""
        record = view.record
        blocked = view.decision.blocked_codes if view.decision else ["no_record"]
        return {
            **view.model_dump(mode="json"),
            "family_id": view.family_id,
            "mobile": view.mobile,
            "family_key": self._key("family_id", view.family_id),
            "mobile_key": self._key("mobile", view.mobile),
            "lookup_key_id": self.key_id,
            "ddo_code": record.ddo_code if record else None,
            "office_code": record.office_code if record else None,
            "person_id": min(view.decision.person_ids, default=view.employee_id)
            if view.decision
            else view.employee_id,
            "blocked": bool(blocked),
            "blocked_reasons": blocked,
        }

    async def rekey(self) -> int:
        """Give the look-up hashes to views stored before them or under another key (a
        rotated `OTP_HMAC_KEY`); how many were written."""
        stale = self.collection.find(
            {"lookup_key_id": {"$ne": self.key_id}}, {"family_id": 1, "mobile": 1}
        )
        written, batch = 0, []
        async for doc in stale:
            fields = {
                "family_key": self._key("family_id", doc.get("family_id")),
                "mobile_key": self._key("mobile", doc.get("mobile")),
                "lookup_key_id": self.key_id,
            }
            batch.append(UpdateOne({"_id": doc["_id"]}, {"$set": fields}))
            if len(batch) == 1000:
                written += (await self.collection.bulk_write(batch)).modified_count
                batch = []
        if batch:
            written += (await self.collection.bulk_write(batch)).modified_count
        return written

    async def get(self, employee_id: str) -> EmployeeView | None:
        doc = await self.collection.find_one({"_id": employee_id})
        return _view(doc) if doc else None

    async def save(self, view: EmployeeView, expected_version: int) -> bool:
        if expected_version == 0:
            try:
                await self.collection.insert_one({"_id": view.employee_id, **self._doc(view)})
            except DuplicateKeyError:
                return False
            return True
        result = await self.collection.update_one(
            {"_id": view.employee_id, "view_version": expected_version},
            {"$set": self._doc(view)},
        )
        return result.modified_count == 1

    async def get_many(self, employee_ids: Sequence[str]) -> dict[str, EmployeeView]:
        found = self.collection.find({"_id": {"$in": list(employee_ids)}})
        return {doc["_id"]: _view(doc) async for doc in found}

    async def save_many(self, writes: Sequence[tuple[EmployeeView, int]]) -> set[str]:
        if not writes:
            return set()
        operations: list[InsertOne[Doc] | UpdateOne] = [
            InsertOne({"_id": view.employee_id, **self._doc(view)})
            if expected == 0
            else UpdateOne(
                {"_id": view.employee_id, "view_version": expected}, {"$set": self._doc(view)}
            )
            for view, expected in writes
        ]
        updates = sum(1 for _, expected in writes if expected != 0)
        try:
            result = await self.collection.bulk_write(operations, ordered=False)
            matched, failed = result.matched_count, set[int]()
        except BulkWriteError as error:
            if any(e["code"] != DUPLICATE_KEY for e in error.details["writeErrors"]):
                raise
            matched = error.details["nMatched"]
            failed = {e["index"] for e in error.details["writeErrors"]}
        if matched == updates:  # every update found its version: the failures are inserts
            return {view.employee_id for i, (view, _) in enumerate(writes) if i not in failed}
        # Which writes landed: the views now at the version each write carried.
        wanted = {view.employee_id: view.view_version for view, _ in writes}
        held = self.collection.find({"_id": {"$in": list(wanted)}}, {"view_version": 1})
        return {doc["_id"] async for doc in held if doc["view_version"] == wanted[doc["_id"]]}

    async def mark_published_many(self, versions: dict[str, int]) -> None:
        if versions:
            await self.collection.bulk_write(
                [
                    UpdateOne(
                        {"_id": employee_id, "published_version": {"$lt": version}},
                        {"$set": {"published_version": version}},
                    )
                    for employee_id, version in versions.items()
                ],
                ordered=False,
            )


def _view(doc: Doc) -> EmployeeView:
    return EmployeeView.model_validate(doc)
