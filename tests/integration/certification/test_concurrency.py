"""Concurrent actions each get their own audit seq; the chain stays whole."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from certification.adapters.mongo import MongoCertifications
from certification.domain import workflow
from certification.domain.access import Principal
from certification.domain.audit import GENESIS, Verdict
from certification.domain.model import Certification, Submission, example_submission
from certification.ports import AuditRecord
from servicekit.aadhaar import new_id
from tests.factories import unique
from tests.factories.certification import auth, form, submission


async def test_concurrent_submissions_and_advice_keep_one_unbroken_audit_chain(
    client: httpx.AsyncClient,
) -> None:
    office = unique("DDO")
    headers = auth("ddo", office)

    made = await asyncio.gather(
        *(
            client.post("/v1/certifications", data=form(submission(office)), headers=headers)
            for _ in range(8)
        )
    )
    ids = [r.json()["id"] for r in made]
    advice = {"advice_number": "ADV-C", "advice_date": "2026-02-25"}
    advised = await asyncio.gather(
        *(
            client.post(f"/v1/certifications/{i}/advice", json=advice, headers=auth("hrd"))
            for i in ids
        )
    )
    report = await client.get("/v1/audit/verify", headers=auth("hrd"))

    assert {r.status_code for r in made} == {201}
    assert {r.status_code for r in advised} == {200}
    assert report.json() == {"ok": True, "entries": 16, "first_bad_seq": None, "problem": None}


async def test_the_same_advice_sent_twice_at_once_is_applied_once(
    client: httpx.AsyncClient,
) -> None:
    office = unique("DDO")
    made = await client.post(
        "/v1/certifications", data=form(submission(office)), headers=auth("ddo", office)
    )
    cert_id = made.json()["id"]
    advice = {"advice_number": "ADV-D", "advice_date": "2026-02-25"}

    both = await asyncio.gather(
        client.post(f"/v1/certifications/{cert_id}/advice", json=advice, headers=auth("hrd")),
        client.post(f"/v1/certifications/{cert_id}/advice", json=advice, headers=auth("hrd")),
    )
    final = await client.get(f"/v1/certifications/{cert_id}", headers=auth("hrd"))

    assert sorted(r.status_code for r in both) == [200, 409]
    assert final.json()["version"] == 2
    assert len(final.json()["history"]) == 2


class _HeadReadBefore:
    """The audit head as read before another store appended: the first read of a
    transaction gets `stale`, every later one the collection's own."""

    def __init__(self, head: Any, stale: dict[str, Any]) -> None:
        self.head, self.stale = head, stale

    async def find_one(self, *args: Any, **kwargs: Any) -> Any:
        stale, self.stale = self.stale, None
        return stale or await self.head.find_one(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.head, name)


def _new(office: str) -> tuple[Certification, AuditRecord]:
    who = Principal(sub="ddo-1", role="ddo", offices=frozenset({office}))
    now = datetime.now(UTC)
    sub = Submission.model_validate(example_submission(unique("ebilling:E"), office))
    cert = workflow.submit(new_id(), sub, None, who, now)
    return cert, AuditRecord(now, who.sub, who.role, "submit", cert.id, {})


async def test_a_seq_taken_meanwhile_is_a_conflict_retried_not_a_refusal(
    mongo: AsyncMongoClient[dict[str, Any]], db: AsyncDatabase[dict[str, Any]]
) -> None:
    """An append that claims a seq another transaction committed meanwhile meets a
    duplicate key (not a write conflict, so the driver does not retry it): the store runs
    it again on the new head instead of reporting the submission as not made."""
    store, other = MongoCertifications(mongo, db), MongoCertifications(mongo, db)
    await store.ensure_indexes()
    office = unique("DDO")
    stale = await db["audit_head"].find_one({"_id": "head"})
    assert stale == {"_id": "head", "seq": 0, "hash": GENESIS}  # there from the start
    assert await other.create(*_new(office))
    store.head = _HeadReadBefore(store.head, stale)  # type: ignore[assignment]

    assert await store.create(*_new(office))
    assert await store.verify_audit() == Verdict(True, 2)
    assert await db["certifications"].count_documents({}) == 2


async def test_a_letter_number_taken_is_still_told_apart_from_a_seq_taken(
    mongo: AsyncMongoClient[dict[str, Any]], db: AsyncDatabase[dict[str, Any]]
) -> None:
    store = MongoCertifications(mongo, db)
    await store.ensure_indexes()
    office = unique("DDO")
    first, record = _new(office)
    again, _ = _new(office)
    again = again.model_copy(update={"submission": first.submission})

    assert await store.create(first, record)
    assert not await store.create(again, record)  # the letter's own: the caller repeats
    assert await store.verify_audit() == Verdict(True, 1)
