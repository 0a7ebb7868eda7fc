"""Submissions: idempotent per letter number, validated, with the letter in GridFS."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from tests.factories import unique
from tests.factories.certification import PDF, auth, form, submission


async def test_the_same_letter_number_twice_returns_the_same_certification(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    office = unique("DDO")
    sub = submission(office)
    headers = auth("ddo", office)

    first = await client.post("/v1/certifications", data=form(sub), headers=headers)
    again = await client.post("/v1/certifications", data=form(sub), headers=headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert await db["certifications"].count_documents({}) == 1
    assert await db["audit"].count_documents({"action": "submit"}) == 1


async def test_a_letter_number_reused_for_another_employee_is_a_conflict(
    client: httpx.AsyncClient,
) -> None:
    office = unique("DDO")
    sub = submission(office)
    headers = auth("ddo", office)
    await client.post("/v1/certifications", data=form(sub), headers=headers)

    other = {**sub, "employee_id": submission(office)["employee_id"]}  # also in the data
    response = await client.post("/v1/certifications", data=form(other), headers=headers)

    assert response.status_code == 409
    assert "certifies another employee" in response.json()["detail"]["message"]


async def test_a_pdf_letter_is_stored_with_its_sha256_and_served_back(
    client: httpx.AsyncClient,
) -> None:
    office = unique("DDO")
    files = {"letter": ("letter.pdf", PDF, "application/pdf")}

    created = await client.post(
        "/v1/certifications",
        data=form(submission(office)),
        files=files,
        headers=auth("ddo", office),
    )
    cert = created.json()
    fetched = await client.get(f"/v1/certifications/{cert['id']}/letter", headers=auth("hrd"))

    assert created.status_code == 201
    assert cert["letter"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert cert["letter"]["size"] == len(PDF)
    assert fetched.content == PDF
    assert fetched.headers["content-type"] == "application/pdf"


async def test_a_letter_that_is_not_a_pdf_is_refused_with_415(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    office = unique("DDO")
    files = {"letter": ("letter.pdf", b"\x89PNG\r\n\x1a\n not a pdf", "application/pdf")}

    response = await client.post(
        "/v1/certifications",
        data=form(submission(office)),
        files=files,
        headers=auth("ddo", office),
    )

    assert response.status_code == 415
    assert "must be a PDF" in response.json()["detail"]["message"]
    assert await db["certifications"].count_documents({}) == 0


async def test_a_letter_over_the_size_limit_is_refused_with_413(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    office = unique("DDO")
    big = PDF + b"0" * 5000  # the test app's limit is 4096 bytes
    files = {"letter": ("letter.pdf", big, "application/pdf")}

    response = await client.post(
        "/v1/certifications",
        data=form(submission(office)),
        files=files,
        headers=auth("ddo", office),
    )

    assert response.status_code == 413
    assert "larger than the limit of 4096 bytes" in response.json()["detail"]["message"]
    assert await db["letters.files"].count_documents({}) == 0


async def test_a_submission_missing_an_attestation_is_refused_naming_it(
    client: httpx.AsyncClient,
) -> None:
    office = unique("DDO")
    sub = submission(office)
    sub["attestations"]["engaged_in_contractual_mode"] = False

    response = await client.post("/v1/certifications", data=form(sub), headers=auth("ddo", office))

    assert response.status_code == 422
    assert "engaged_in_contractual_mode" in response.json()["detail"]["message"]


async def test_a_malformed_corrected_mobile_is_refused_naming_the_field(
    client: httpx.AsyncClient,
) -> None:
    office = unique("DDO")
    sub = submission(office, corrected_mobile="12345")

    response = await client.post("/v1/certifications", data=form(sub), headers=auth("ddo", office))

    assert response.status_code == 422
    message = response.json()["detail"]["message"]
    assert message.startswith("submission.corrected_mobile: ")
    assert "10 digits" in message


async def test_an_aadhaar_number_cannot_be_submitted(client: httpx.AsyncClient) -> None:
    office = unique("DDO")
    sub = submission(office, aadhaar="123412341234")

    response = await client.post("/v1/certifications", data=form(sub), headers=auth("ddo", office))

    assert response.status_code == 422
    assert "submission.aadhaar" in response.json()["detail"]["message"]
