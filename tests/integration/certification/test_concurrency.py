"""Concurrent actions each get their own audit seq; the chain stays whole."""

from __future__ import annotations

import asyncio

import httpx

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
