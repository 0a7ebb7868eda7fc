"""Hostile submissions get a clear 4xx naming the problem, never a 500."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.factories import unique
from tests.factories.certification import auth, submission


@pytest.mark.parametrize(
    ("officer_name", "expected"),
    [
        ("S. K. \\ud800Sharma", "submission: Invalid JSON: unexpected end of hex escape"),
        ("S. K. \\u0000Sharma", "officer_name: contains the control character U+0000"),
    ],
)
async def test_lone_surrogates_and_control_characters_are_refused_by_field(
    client: httpx.AsyncClient, officer_name: str, expected: str
) -> None:
    office = unique("DDO")
    text = json.dumps(submission(office, officer_name="PLACEHOLDER"))
    text = text.replace("PLACEHOLDER", officer_name)
    response = await client.post(
        "/v1/certifications", data={"submission": text}, headers=auth("ddo", office)
    )
    assert response.status_code == 422, response.text
    assert expected in response.json()["detail"]["message"]


@pytest.mark.parametrize("depth", [900, 100_000])
async def test_deeply_nested_submissions_and_bodies_are_a_clear_4xx(
    client: httpx.AsyncClient, depth: int
) -> None:
    office = unique("DDO")
    deep = "[" * depth + "]" * depth
    text = json.dumps(submission(office, officer_name="PLACEHOLDER")).replace('"PLACEHOLDER"', deep)
    response = await client.post(
        "/v1/certifications", data={"submission": text}, headers=auth("ddo", office)
    )
    advice = await client.post(
        f"/v1/certifications/{unique('cert')}/reject",
        content=f'{{"reason": {deep}}}'.encode(),
        headers=auth("hrd") | {"Content-Type": "application/json"},
    )
    assert response.status_code in {413, 422}  # past the route's limit, or past parsing
    assert advice.status_code in {413, 422}


async def test_a_reason_with_a_lone_surrogate_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"/v1/certifications/{unique('cert')}/reject",
        content=b'{"reason": "bad \\ud800 text"}',
        headers=auth("hrd") | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "lone surrogate" in json.dumps(response.json())
