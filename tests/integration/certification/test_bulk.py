"""HRD works in bulk: one advice number on 200 certifications and their activation in one
call each, an answer per id, every change its own audit entry and every activation its
event; listings page with a cursor and filter by state, department, office, covers and
submission time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from contracts import topics
from tests.factories import unique
from tests.factories.certification import auth, form, submission
from tests.helpers import read_topic

ADVICE = {"advice_number": "HRD/ADV/2026/BULK", "advice_date": "2026-02-27"}


async def _submit_many(
    client: httpx.AsyncClient, office: str, count: int, **fields: Any
) -> list[str]:
    headers = auth("ddo", office)
    ids: list[str] = []
    for start in range(0, count, 20):
        made = await asyncio.gather(
            *(
                client.post(
                    "/v1/certifications", data=form(submission(office, **fields)), headers=headers
                )
                for _ in range(start, min(count, start + 20))
            )
        )
        assert {m.status_code for m in made} == {201}, [m.text for m in made if m.is_error]
        ids += [m.json()["id"] for m in made]
    return ids


async def test_hrd_advises_and_activates_200_certifications_in_one_call_each(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]], kafka_bootstrap: str
) -> None:
    office = unique("DDO")
    ids = await _submit_many(client, office, 200)
    hrd = auth("hrd")
    stranger = (
        await client.post(
            "/v1/certifications", data=form(submission(office)), headers=auth("ddo", office)
        )
    ).json()["id"]

    advised = await client.post(
        "/v1/certifications/bulk/advice",
        json={**ADVICE, "ids": [*ids, "cert-unknown", ids[0]]},
        headers=hrd,
        timeout=300,
    )
    activated = await client.post(
        "/v1/certifications/bulk/activate",
        json={"ids": [*ids, stranger]},
        headers=hrd,
        timeout=300,
    )
    by_ddo = await client.post(
        "/v1/certifications/bulk/activate", json={"ids": ids[:1]}, headers=auth("ddo", office)
    )

    assert advised.status_code == 200, advised.text
    answer = advised.json()
    assert (answer["done"], answer["refused"]) == (200, 1)  # the repeated id answered once
    assert answer["results"][-1] == {
        "id": "cert-unknown",
        "done": False,
        "state": None,
        "reason": "not_found",
        "message": "no certification cert-unknown",
    }
    assert activated.status_code == 200, activated.text
    results = activated.json()["results"]
    assert [r["id"] for r in results] == [*ids, stranger]
    assert all(r["done"] and r["state"] == "effective" for r in results[:-1])
    assert results[-1]["done"] is False
    assert results[-1]["reason"] == "invalid_transition"  # never advised
    assert by_ddo.status_code == 403

    entries = [doc async for doc in db["audit"].find({"certification_id": {"$in": ids}})]
    actions: dict[str, list[str]] = {}
    for entry in entries:
        actions.setdefault(entry["certification_id"], []).append(entry["action"])
    assert {i: sorted(a) for i, a in actions.items()} == {
        i: ["activate", "advise", "submit"] for i in ids
    }
    assert all(
        e["details"]["advice_number"] == ADVICE["advice_number"]
        for e in entries
        if e["action"] == "advise"
    )
    events = await read_topic(
        kafka_bootstrap,
        topics.CERTIFICATIONS,
        lambda m: m.get("certification_id") in set(ids),
        count=200,
        timeout=120,
    )
    assert {e["certification_id"] for e in events} == set(ids)
    report = await client.get("/v1/audit/verify", headers=hrd)
    assert report.json()["ok"] is True


async def test_listings_page_with_a_cursor_and_filter(client: httpx.AsyncClient) -> None:
    office, other = unique("DDO"), unique("DDO")
    department = unique("DEP")
    before = datetime.now(UTC) - timedelta(seconds=1)
    plain = await _submit_many(
        client, office, 5, covers=["non_contractual_head"], corrected_mobile=None
    )
    mobiles = await _submit_many(
        client,
        office,
        3,
        department=department,
        covers=["mobile_changed"],
        corrected_mobile="9876501234",
    )
    await _submit_many(client, other, 2)
    hrd = auth("hrd")

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"office": office, "limit": "3", **({"cursor": cursor} if cursor else {})}
        page = await client.get("/v1/certifications", params=params, headers=hrd)
        assert page.status_code == 200, page.text
        seen += [c["id"] for c in page.json()]
        pages += 1
        cursor = page.headers.get("X-Next-Cursor")
        if cursor is None:
            break
    by_covers = await client.get(
        "/v1/certifications", params={"covers": "mobile_changed", "office": office}, headers=hrd
    )
    by_department = await client.get(
        "/v1/certifications", params={"department": department}, headers=hrd
    )
    by_time = await client.get(
        "/v1/certifications",
        params={"office": office, "submitted_after": before.isoformat(), "state": "submitted"},
        headers=hrd,
    )
    too_early = await client.get(
        "/v1/certifications",
        params={"office": office, "submitted_before": before.isoformat()},
        headers=hrd,
    )
    forged = await client.get("/v1/certifications", params={"cursor": "bm9wZQ"}, headers=hrd)

    assert sorted(seen) == sorted(plain + mobiles)  # every one once, across pages
    assert len(seen) == len(set(seen))
    assert pages == 3
    assert {c["id"] for c in by_covers.json()} == set(mobiles)
    assert all(c["mobile_change"]["new_masked"] == "98******34" for c in by_covers.json())
    assert "9876501234" not in str([c["mobile_change"] for c in by_covers.json()])
    assert {c["id"] for c in by_department.json()} == set(mobiles)
    assert {c["id"] for c in by_time.json()} == set(plain + mobiles)
    assert too_early.json() == []
    assert forged.status_code == 422
