"""Letters on the real mongod: only what parses as a PDF is kept, under a safe name, and
it is served as a download that no browser sniffs into anything else."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from tests.factories import unique
from tests.factories.certification import PDF, auth, form, submission

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


async def upload(client: httpx.AsyncClient, name: str, data: bytes) -> httpx.Response:
    office = unique("DDO")
    return await client.post(
        "/v1/certifications",
        data=form(submission(office)),
        files={"letter": (name, data, "application/pdf")},
        headers=auth("ddo", office),
    )


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>", ELF],
    ids=["pdf-magic-then-html", "elf-binary"],
)
async def test_content_that_is_not_a_pdf_is_refused_with_415_and_nothing_kept(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]], data: bytes
) -> None:
    response = await upload(client, "letter.pdf", data)

    assert response.status_code == 415
    assert "must be a PDF" in response.json()["detail"]["message"]
    assert await db["certifications"].count_documents({}) == 0
    assert await db["letters.files"].count_documents({}) == 0


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/cron.d/x.pdf", "x.pdf"),
        ("scan\u202efdp.exe", "scanfdp.exe.pdf"),
        ("पत्र\u2067.pdf", "पत्र.pdf"),
    ],
)
async def test_a_letter_is_kept_under_a_safe_name_and_served_as_an_attachment(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]], sent: str, kept: str
) -> None:
    created = await upload(client, sent, PDF)
    assert created.status_code == 201, created.text
    cert = created.json()
    served = await client.get(f"/v1/certifications/{cert['id']}/letter", headers=auth("hrd"))

    assert cert["letter"]["filename"] == kept
    [stored] = [doc async for doc in db["letters.files"].find()]
    assert stored["filename"] == kept
    assert served.content == PDF
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["x-content-type-options"] == "nosniff"
    disposition = served.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(kept, safe='')}" in disposition
    assert "/" not in disposition.partition("filename*=")[0]


@pytest.mark.parametrize("part", ["submission", "letter"])
async def test_a_form_giving_a_part_twice_is_refused(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]], part: str
) -> None:
    """The form reader kept the last of two parts silently: a second submission, or a
    second letter that is not a PDF, would pass as the one sent."""
    office = unique("DDO")
    body = form(submission(office))["submission"]
    files: list[tuple[str, tuple[str | None, bytes | str, str | None]]] = [
        ("submission", (None, body, None)),
        ("letter", ("a.pdf", PDF, "application/pdf")),
    ]
    second = (None, body, None) if part == "submission" else ("b.pdf", b"%PDF-<html>", "x")
    response = await client.post(
        "/v1/certifications", files=[*files, (part, second)], headers=auth("ddo", office)
    )

    assert response.status_code == 422, response.text
    assert f"gives {part} 2 times" in response.json()["detail"]["message"]
    assert await db["certifications"].count_documents({}) == 0
