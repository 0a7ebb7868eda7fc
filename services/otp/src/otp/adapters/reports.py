"""Reconciliation reports aggregated from the eligibility views (MongoDB).

A person is blocked when their OTP gate is closed or a portal refusal for a mismatching
mobile or Family ID is still outstanding (`blocked`, `blocked_reasons` on the view).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from otp.domain.report import (
    BlockedPerson,
    Filter,
    OfficeBlocked,
    PartReadiness,
    merge_counts,
)

Doc = dict[str, Any]
# A view stored before `blocked` was kept reads as its gate said, until it is next written.
BLOCKED: Doc = {"$ifNull": ["$blocked", {"$eq": ["$decision.gate.open", False]}]}
CODES: Doc = {"$ifNull": ["$blocked_reasons", {"$ifNull": ["$decision.gate.reasons.code", []]}]}


class MongoReports:
    """Reconciliation reports aggregated from the eligibility views."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["views"]

    async def blocked_by_office(self, report: Filter) -> list[OfficeBlocked]:
        """Blocked persons per department and DDO: a person with two ids in one office
        counts once there."""
        pipeline: list[Doc] = [
            {"$match": _blocked_match(report)},
            {
                "$project": {
                    "d": {"$ifNull": ["$record.department_code", None]},
                    "o": {"$ifNull": ["$ddo_code", None]},
                    "who": {"$ifNull": ["$person_id", "$_id"]},
                    "codes": CODES,
                }
            },
            {
                "$group": {
                    "_id": {"d": "$d", "o": "$o", "who": "$who"},
                    "codes": {"$push": "$codes"},
                }
            },
            {
                "$project": {
                    "d": "$_id.d",
                    "o": "$_id.o",
                    "codes": {
                        "$reduce": {
                            "input": "$codes",
                            "initialValue": [],
                            "in": {"$setUnion": ["$$value", "$$this"]},
                        }
                    },
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
        """Per person: the ids of one person are counted once, under `I+II` when the
        person is in both sources; blocked when any of their ids is."""
        pipeline: list[Doc] = [
            {
                "$group": {
                    "_id": {"$ifNull": ["$person_id", "$_id"]},
                    "parts": {"$addToSet": "$record.part"},
                    "blocked": {"$max": {"$cond": [BLOCKED, 1, 0]}},
                    "codes": {"$push": {"$cond": [BLOCKED, CODES, []]}},
                    "status": {
                        "$first": {"$ifNull": ["$decision.eligibility.status", "undetermined"]}
                    },
                }
            },
            {
                "$project": {
                    "p": {
                        "$switch": {
                            "branches": [
                                {
                                    "case": {
                                        "$and": [
                                            {"$in": ["I", "$parts"]},
                                            {"$in": ["II", "$parts"]},
                                        ]
                                    },
                                    "then": "I+II",
                                },
                                {"case": {"$in": ["I", "$parts"]}, "then": "I"},
                                {"case": {"$in": ["II", "$parts"]}, "then": "II"},
                            ],
                            "default": None,
                        }
                    },
                    "open": {"$eq": ["$blocked", 0]},
                    "codes": {
                        "$reduce": {
                            "input": "$codes",
                            "initialValue": [],
                            "in": {"$setUnion": ["$$value", "$$this"]},
                        }
                    },
                    "status": 1,
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
                "blocked_reasons": 1,
                "decision.gate.reasons.code": 1,
                "decision.refusals_seen": 1,
            },
        ).sort([("ddo_code", ASCENDING), ("_id", ASCENDING)])
        async for doc in cursor:
            record = doc.get("record") or {}
            seen = (doc.get("decision") or {}).get("refusals_seen") or []
            yield BlockedPerson(
                employee_id=doc["_id"],
                department_code=record.get("department_code"),
                ddo_code=doc.get("ddo_code"),
                name=record.get("name"),
                mobile=doc.get("mobile"),
                family_id=doc.get("family_id"),
                reasons=tuple(_codes(doc)),
                refusals_seen=sum(int(f["evidence"]["count"]) for f in seen),
                last_refused_at=max((str(f["evidence"]["last_at"]) for f in seen), default=None),
            )


def _blocked_match(report: Filter) -> Doc:
    match: Doc = {
        "$or": [
            {"blocked": True},
            {"blocked": {"$exists": False}, "decision.gate.open": False},
        ]
    }
    offices = report.scope.offices
    if offices is not None:
        codes = sorted(offices)
        match = {
            "$and": [
                match,
                {"$or": [{"ddo_code": {"$in": codes}}, {"office_code": {"$in": codes}}]},
            ]
        }
    if report.department is not None:
        match["record.department_code"] = report.department
    if report.ddo is not None:
        match["ddo_code"] = report.ddo
    return match


def _counts(rows: list[Doc], part: str | None, field: str) -> dict[str, int]:
    return merge_counts([(row["_id"][field], row["n"]) for row in rows if row["_id"]["p"] == part])


def _codes(doc: Doc) -> list[str]:
    if "blocked_reasons" in doc:
        return list(doc["blocked_reasons"])
    return [r["code"] for r in ((doc.get("decision") or {}).get("gate") or {}).get("reasons", [])]
