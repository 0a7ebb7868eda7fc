"""The only module of the OTP service that knows MongoDB."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, InsertOne, ReturnDocument, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from contracts.ingest import MasterDataChanged
from otp.domain.challenge import Challenge, Delivery, Held, lock_duration
from otp.domain.report import (
    BlockedPerson,
    Filter,
    OfficeBlocked,
    PartReadiness,
    merge_counts,
)
from otp.domain.view import EmployeeView
from servicekit.mongo import upsert_if_newer

Doc = dict[str, Any]
DUPLICATE_KEY = 11000
# Challenges are kept a day past expiry so "expired" can still be answered, then TTL'd.
CHALLENGE_RETENTION = timedelta(days=1)


async def ensure_indexes(db: AsyncDatabase[Doc]) -> None:
    await db["views"].create_index("family_id")
    await db["views"].create_index("mobile")
    await db["views"].create_index("ddo_code")
    await db["views"].create_index("office_code")
    await db["views"].create_index([("decision.gate.open", ASCENDING), ("ddo_code", ASCENDING)])
    await db["challenges"].create_index([("employee_id", ASCENDING), ("expires_at", ASCENDING)])
    await db["challenges"].create_index("purge_at", expireAfterSeconds=0)
    await db["guards"].create_index("purge_at", expireAfterSeconds=0)


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
                include={"entity_type", "code", "name", "parent_type", "parent_code", "active"},
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
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["views"]

    async def get(self, employee_id: str) -> EmployeeView | None:
        doc = await self.collection.find_one({"_id": employee_id})
        return _view(doc) if doc else None

    async def save(self, view: EmployeeView, expected_version: int) -> bool:
        if expected_version == 0:
            try:
                await self.collection.insert_one({"_id": view.employee_id, **_doc(view)})
            except DuplicateKeyError:
                return False
            return True
        result = await self.collection.update_one(
            {"_id": view.employee_id, "view_version": expected_version}, {"$set": _doc(view)}
        )
        return result.modified_count == 1

    async def get_many(self, employee_ids: Sequence[str]) -> dict[str, EmployeeView]:
        found = self.collection.find({"_id": {"$in": list(employee_ids)}})
        return {doc["_id"]: _view(doc) async for doc in found}

    async def save_many(self, writes: Sequence[tuple[EmployeeView, int]]) -> set[str]:
        if not writes:
            return set()
        operations: list[InsertOne[Doc] | UpdateOne] = [
            InsertOne({"_id": view.employee_id, **_doc(view)})
            if expected == 0
            else UpdateOne(
                {"_id": view.employee_id, "view_version": expected}, {"$set": _doc(view)}
            )
            for view, expected in writes
        ]
        try:
            await self.collection.bulk_write(operations, ordered=False)
        except BulkWriteError as error:
            if any(e["code"] != DUPLICATE_KEY for e in error.details["writeErrors"]):
                raise
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

    async def by_family_id(self, family_id: str) -> list[EmployeeView]:
        return [_view(doc) async for doc in self.collection.find({"family_id": family_id})]

    async def by_mobile(self, mobile: str) -> list[EmployeeView]:
        return [_view(doc) async for doc in self.collection.find({"mobile": mobile})]


def _view(doc: Doc) -> EmployeeView:
    return EmployeeView.model_validate(doc)


def _doc(view: EmployeeView) -> Doc:
    """The stored form of a view, with the fields the portal and the reports look up by."""
    record = view.record
    return {
        **view.model_dump(mode="json"),
        "family_id": view.family_id,
        "mobile": view.mobile,
        "ddo_code": record.ddo_code if record else None,
        "office_code": record.office_code if record else None,
    }


class MongoChallenges:
    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["challenges"]

    async def live_or_new(self, challenge: Challenge, now: datetime) -> Challenge:
        """One round trip: the employee's live challenge with its send number counted
        up, or `challenge` stored as sent once."""
        fresh = challenge.model_dump(exclude={"employee_id", "state", "send_number", "delivery"})
        doc = await self.collection.find_one_and_update(
            {"employee_id": challenge.employee_id, "state": "active", "expires_at": {"$gt": now}},
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
        self, employee_id: str, limit: int, window_seconds: int, now: datetime
    ) -> tuple[Held, int] | None:
        """One round trip on the employee's guard document: unless they are locked, count
        one send in the current window. Locks and failure counts live in the same
        document, so it is kept as long as the longer of its purposes needs."""
        start = int(now.timestamp()) // window_seconds * window_seconds
        end = datetime.fromtimestamp(start + window_seconds, tz=now.tzinfo)
        locked = {"$gt": ["$locked_until", now]}  # a missing lock compares below any date
        sends = {"$cond": [{"$eq": ["$send_window", start]}, {"$ifNull": ["$sends", 0]}, 0]}
        doc = await self.collection.find_one_and_update(
            {"_id": f"employee:{employee_id}"},
            [
                {
                    "$set": {
                        "sends": {"$cond": [locked, "$sends", {"$add": [sends, 1]}]},
                        "send_window": {"$cond": [locked, "$send_window", start]},
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
        if doc["sends"] <= limit:
            return None
        return "rate_limited", max(1, int((end - now).total_seconds()))

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


class MongoReports:
    """Reconciliation reports aggregated from the eligibility views."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["views"]

    async def blocked_by_office(self, report: Filter) -> list[OfficeBlocked]:
        pipeline: list[Doc] = [
            {"$match": _blocked_match(report)},
            {
                "$project": {
                    "d": {"$ifNull": ["$record.department_code", None]},
                    "o": {"$ifNull": ["$ddo_code", None]},
                    "codes": {"$ifNull": ["$decision.gate.reasons.code", []]},
                }
            },
            {
                "$facet": {
                    "people": [{"$group": {"_id": {"d": "$d", "o": "$o"}, "n": {"$sum": 1}}}],
                    "reasons": [
                        {"$unwind": "$codes"},
                        {
                            "$group": {
                                "_id": {"d": "$d", "o": "$o", "c": "$codes"},
                                "n": {"$sum": 1},
                            }
                        },
                    ],
                }
            },
        ]
        [facets] = await (await self.collection.aggregate(pipeline)).to_list()
        reasons: dict[tuple[Any, Any], list[tuple[str, int]]] = {}
        for row in facets["reasons"]:
            key = (row["_id"]["d"], row["_id"]["o"])
            reasons.setdefault(key, []).append((row["_id"]["c"], row["n"]))
        offices = [
            OfficeBlocked(
                department_code=row["_id"]["d"],
                ddo_code=row["_id"]["o"],
                blocked=row["n"],
                by_reason=merge_counts(reasons.get((row["_id"]["d"], row["_id"]["o"]), [])),
            )
            for row in facets["people"]
        ]
        return sorted(offices, key=lambda o: (o.department_code or "", o.ddo_code or ""))

    async def readiness(self) -> list[PartReadiness]:
        pipeline: list[Doc] = [
            {
                "$project": {
                    "p": {"$ifNull": ["$record.part", None]},
                    "open": {"$eq": ["$decision.gate.open", True]},
                    "codes": {"$ifNull": ["$decision.gate.reasons.code", []]},
                    "status": {"$ifNull": ["$decision.eligibility.status", "undetermined"]},
                }
            },
            {
                "$facet": {
                    "totals": [
                        {
                            "$group": {
                                "_id": "$p",
                                "n": {"$sum": 1},
                                "open": {"$sum": {"$cond": ["$open", 1, 0]}},
                            }
                        }
                    ],
                    "eligibility": [
                        {"$group": {"_id": {"p": "$p", "s": "$status"}, "n": {"$sum": 1}}}
                    ],
                    "reasons": [
                        {"$match": {"open": False}},
                        {"$unwind": "$codes"},
                        {"$group": {"_id": {"p": "$p", "c": "$codes"}, "n": {"$sum": 1}}},
                    ],
                }
            },
        ]
        [facets] = await (await self.collection.aggregate(pipeline)).to_list()
        return [
            PartReadiness(
                part=row["_id"],
                total=row["n"],
                gate_open=row["open"],
                blocked=row["n"] - row["open"],
                blocked_by_reason=_counts(facets["reasons"], row["_id"], "c"),
                eligibility=_counts(facets["eligibility"], row["_id"], "s"),
            )
            for row in sorted(facets["totals"], key=lambda r: r["_id"] or "~")
        ]

    async def blocked_people(self, report: Filter) -> AsyncIterator[BlockedPerson]:
        cursor = self.collection.find(
            _blocked_match(report),
            {
                "record.department_code": 1,
                "record.name": 1,
                "ddo_code": 1,
                "mobile": 1,
                "family_id": 1,
                "decision.gate.reasons.code": 1,
            },
        ).sort([("ddo_code", ASCENDING), ("_id", ASCENDING)])
        async for doc in cursor:
            record = doc.get("record") or {}
            yield BlockedPerson(
                employee_id=doc["_id"],
                department_code=record.get("department_code"),
                ddo_code=doc.get("ddo_code"),
                name=record.get("name"),
                mobile=doc.get("mobile"),
                family_id=doc.get("family_id"),
                reasons=tuple(r["code"] for r in doc["decision"]["gate"]["reasons"]),
            )


def _blocked_match(report: Filter) -> Doc:
    match: Doc = {"decision.gate.open": False}
    offices = report.scope.offices
    if offices is not None:
        codes = sorted(offices)
        match["$or"] = [{"ddo_code": {"$in": codes}}, {"office_code": {"$in": codes}}]
    if report.department is not None:
        match["record.department_code"] = report.department
    if report.ddo is not None:
        match["ddo_code"] = report.ddo
    return match


def _counts(rows: list[Doc], part: str | None, field: str) -> dict[str, int]:
    return merge_counts([(row["_id"][field], row["n"]) for row in rows if row["_id"]["p"] == part])
