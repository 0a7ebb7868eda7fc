"""The portal's reads, each merged into one MongoDB command (an aggregation over the
collections they touch), with only the fields the call uses projected.

- An OTP request: the views of the typed Family ID and of the typed mobile (by their keyed
  hashes), each with its employee's guard (what a send checks), and the refusal counters
  of both in the current window (`guards`).
- A verification: the challenge, the view it is checked against (mobile, gate) and the
  employee's guard (wrong-code count)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from otp.domain.challenge import Challenge
from otp.domain.lookup import Candidate, Lookup, SendGuard, ToVerify
from servicekit.pii import keyed_hash

Doc = dict[str, Any]
# What a request reads of a view: the effective contact data, the gate, the person's ids.
CANDIDATE_FIELDS = {
    "family_id": 1,
    "mobile": 1,
    "decision.gate.open": 1,
    "decision.gate.reasons.code": 1,
    "decision.person_ids": 1,
}
# What a send checks of the employee's guard, read with the views (`Guards.send_as_read`).
GUARD_FIELDS = {name: 1 for name in SendGuard.__dataclass_fields__}


class MongoPortalReads:
    def __init__(self, db: AsyncDatabase[Doc], lookup_key: str) -> None:
        self.views = db["views"]
        self.challenges = db["challenges"]
        self.lookup_key = lookup_key

    async def candidates(
        self,
        family_id: str,
        mobile: str,
        counted: Sequence[str],
        window_seconds: int,
        now: datetime,
    ) -> Lookup:
        family_key = keyed_hash(self.lookup_key, "family_id", family_id)
        mobile_key = keyed_hash(self.lookup_key, "mobile", mobile)
        start = int(now.timestamp()) // window_seconds * window_seconds
        counters = [f"refusal:{key}:{start}" for key in counted]
        pipeline: list[Doc] = [
            {"$match": {"$or": [{"family_key": family_key}, {"mobile_key": mobile_key}]}},
            {"$project": CANDIDATE_FIELDS},
            {
                "$lookup": {
                    "from": "guards",
                    "let": {"guard": {"$concat": ["employee:", "$_id"]}},
                    "pipeline": [
                        {"$match": {"$expr": {"$eq": ["$_id", "$$guard"]}}},
                        {"$project": GUARD_FIELDS},
                    ],
                    "as": "guard",
                }
            },
            {
                "$unionWith": {
                    "coll": "guards",
                    "pipeline": [
                        {"$match": {"_id": {"$in": counters}}},
                        {"$project": {"count": 1, "counter": {"$literal": True}}},
                    ],
                }
            },
        ]
        by_family, by_mobile, refusals = [], [], 0
        async for doc in await self.views.aggregate(pipeline):
            if doc.get("counter"):
                refusals = max(refusals, int(doc["count"]))
                continue
            # The keyed hash found it; the clear value decides (a hash of a rotated key).
            if doc.get("family_id") == family_id:
                by_family.append(_candidate(doc))
            if doc.get("mobile") == mobile:
                by_mobile.append(_candidate(doc))
        return Lookup(by_family, by_mobile, refusals)

    async def challenge(self, challenge_id: str) -> ToVerify | None:
        pipeline: list[Doc] = [
            {"$match": {"_id": challenge_id}},
            {
                "$lookup": {
                    "from": "views",
                    "localField": "employee_id",
                    "foreignField": "_id",
                    "pipeline": [{"$project": {"mobile": 1, "decision.gate.open": 1}}],
                    "as": "view",
                }
            },
            {
                "$lookup": {
                    "from": "guards",
                    "let": {"guard": {"$concat": ["employee:", "$employee_id"]}},
                    "pipeline": [
                        {"$match": {"$expr": {"$eq": ["$_id", "$$guard"]}}},
                        {"$project": {"failures": 1}},
                    ],
                    "as": "guard",
                }
            },
        ]
        docs = await (await self.challenges.aggregate(pipeline)).to_list(1)
        if not docs:
            return None
        doc = docs[0]
        views, guards = doc.pop("view"), doc.pop("guard")
        view = views[0] if views else None
        gate = ((view or {}).get("decision") or {}).get("gate") or {}
        return ToVerify(
            challenge=Challenge.model_validate(doc),
            viewed=view is not None,
            mobile=view.get("mobile") if view else None,
            gate_open=bool(gate.get("open")),
            failures=int(guards[0].get("failures", 0)) if guards else 0,
        )


def _candidate(doc: Doc) -> Candidate:
    decision = doc.get("decision")
    guard = _guard(doc.get("guard"))
    if not decision:
        return Candidate(
            doc["_id"], doc.get("family_id"), doc.get("mobile"), decided=False, guard=guard
        )
    gate = decision["gate"]
    return Candidate(
        employee_id=doc["_id"],
        family_id=doc.get("family_id"),
        mobile=doc.get("mobile"),
        decided=True,
        gate_open=bool(gate["open"]),
        gate_reasons=tuple(reason["code"] for reason in gate.get("reasons", ())),
        person_ids=tuple(decision.get("person_ids", ())),
        guard=guard,
    )


def _guard(found: list[Doc] | None) -> SendGuard | None:
    if found is None:
        return None
    if not found:
        return SendGuard()
    doc = found[0]
    return SendGuard(
        locked_until=doc.get("locked_until"),
        last_send_at=doc.get("last_send_at"),
        last_sent_to=doc.get("last_sent_to"),
        sends=int(doc.get("sends") or 0),
        send_window=doc.get("send_window"),
    )
