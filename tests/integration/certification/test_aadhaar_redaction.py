"""An Aadhaar-like number typed into any free-text field of a submission, an advice or a
reason, or into the letter's file name, is redacted before anything is stored."""

from __future__ import annotations

from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from servicekit.aadhaar import REDACTED
from tests.factories import unique
from tests.factories.aadhaar import grouped, valid_aadhaar, without_digests
from tests.factories.certification import PDF, auth, form, submission
from tests.pii_scan import aadhaar_like


async def _stored(db: AsyncDatabase[dict[str, Any]]) -> str:
    docs = [doc for name in await db.list_collection_names() async for doc in db[name].find()]
    return repr(without_digests(docs))


async def test_numbers_in_free_text_and_file_names_are_redacted_before_storing(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    seed = unique("cert")
    numbers = [valid_aadhaar(f"{seed}{i}") for i in range(6)]
    office = unique("DDO")
    sub = submission(
        office,
        officer_name=f"S. K. Sharma {numbers[0]}",
        letter_number=f"No. 6/74/{grouped(numbers[1])}",
        service_details={
            "periods": [{"from": "2015-04-01", "to": None, "post": f"DEO {numbers[2]}"}],
            "head_of_account_used": f"87 - Honorarium {grouped(numbers[3], '-')}",
        },
    )
    files = {"letter": (f"letter {numbers[4]}.pdf", PDF, "application/pdf")}
    created = await client.post(
        "/v1/certifications", data=form(sub), files=files, headers=auth("ddo", office)
    )
    assert created.status_code == 201, created.text
    cert = created.json()
    assert cert["submission"]["officer_name"] == f"S. K. Sharma {REDACTED}"
    assert cert["letter"]["filename"] == f"letter {REDACTED}.pdf"
    rejected = await client.post(
        f"/v1/certifications/{cert['id']}/reject",
        json={"reason": f"wrong person, uid {numbers[5]}"},
        headers=auth("hrd"),
    )
    assert rejected.json()["rejection_reason"] == f"wrong person, uid {REDACTED}"

    stored = await _stored(db)
    assert not any(n in stored or grouped(n) in stored for n in numbers)
    assert aadhaar_like(stored) == []
