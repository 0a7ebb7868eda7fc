"""The audit trail is a hash chain in MongoDB: an edited or removed entry is named."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from certification.settings import CertificationSettings
from tests.factories import unique
from tests.factories.certification import auth, form, submission

ADVICE = {"advice_number": "HRD/ADV/9", "advice_date": "2026-02-25"}


async def _three_actions(client: httpx.AsyncClient) -> str:
    office = unique("DDO")
    sub = submission(office, covers=["family_id_incorrect"], corrected_family_id="XY98ZT76")
    response = await client.post("/v1/certifications", data=form(sub), headers=auth("ddo", office))
    cert_id: str = response.json()["id"]
    await client.post(f"/v1/certifications/{cert_id}/advice", json=ADVICE, headers=auth("hrd"))
    await client.post(f"/v1/certifications/{cert_id}/activate", headers=auth("hrd"))
    return cert_id


async def _verify(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/v1/audit/verify", headers=auth("hrd"))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _cli_verify(settings: CertificationSettings) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "MONGODB_URI": settings.mongodb_uri,
        "CERTIFICATION_MONGODB_DATABASE": settings.mongodb_database,
    }
    command = [sys.executable, "-m", "certification", "audit", "verify"]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


async def test_every_action_is_chained_with_masked_personal_data(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    cert_id = await _three_actions(client)

    entries = [e async for e in db["audit"].find({}).sort("seq", 1)]
    report = await _verify(client)

    assert [e["action"] for e in entries] == ["submit", "advise", "activate"]
    assert all(e["certification_id"] == cert_id for e in entries)
    assert [e["prev_hash"] for e in entries[1:]] == [e["hash"] for e in entries[:-1]]
    assert entries[0]["details"]["corrected_family_id"] == "XY****76"
    assert report == {"ok": True, "entries": 3, "first_bad_seq": None, "problem": None}


async def test_an_edited_audit_entry_is_detected_and_named(
    client: httpx.AsyncClient,
    db: AsyncDatabase[dict[str, Any]],
    cert_settings: CertificationSettings,
) -> None:
    await _three_actions(client)
    await db["audit"].update_one({"seq": 2}, {"$set": {"actor": "someone-else"}})

    report = await _verify(client)
    cli = _cli_verify(cert_settings)

    assert report["ok"] is False
    assert report["first_bad_seq"] == 2
    assert report["problem"] == "entry 2 was altered (hash mismatch)"
    assert cli.returncode == 1
    assert "audit chain broken at entry 2" in cli.stdout


async def test_a_deleted_audit_entry_is_detected_and_named(
    client: httpx.AsyncClient,
    db: AsyncDatabase[dict[str, Any]],
    cert_settings: CertificationSettings,
) -> None:
    await _three_actions(client)
    await db["audit"].delete_one({"seq": 2})

    report = await _verify(client)
    cli = _cli_verify(cert_settings)

    assert (report["ok"], report["first_bad_seq"]) == (False, 2)
    assert report["problem"] == "entry 2 is missing"
    assert cli.returncode == 1
    assert "entry 2 is missing" in cli.stdout


async def test_a_removed_last_entry_is_detected_against_the_head(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    await _three_actions(client)
    await db["audit"].delete_one({"seq": 3})

    report = await _verify(client)

    assert (report["ok"], report["first_bad_seq"]) == (False, 3)
    assert report["problem"] == "entries 3..3 are missing"


async def test_an_intact_chain_passes_the_command_line_check(
    client: httpx.AsyncClient, cert_settings: CertificationSettings
) -> None:
    await _three_actions(client)

    cli = _cli_verify(cert_settings)

    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert "audit chain intact: 3 entries" in cli.stdout
