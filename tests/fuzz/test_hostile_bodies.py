"""Hostile JSON to every POST route of every service, with valid credentials: nesting
near and past what can be read, lone surrogates, control characters, oversized strings,
numbers JSON cannot carry (NaN, Infinity, 1e999, 5,000 digits).
Each route answers one of its documented statuses, never a 500."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import serving
from tests.sweep import SERVICES, Service, build_service, post_routes

# A JSON body FastAPI itself cannot parse at all (nested past what Python's parser reads)
# is answered 400 ("There was an error parsing the body") before any route code runs.
UNREADABLE = 400
STATUSES: dict[str, set[int]] = {
    "/v1/hkrnl/records": {200, 413, 422},
    "/v1/uploads/hkrnl": {200, 413, 415, 422},
    "/v1/certifications": {201, 200, 403, 409, 413, 415, 422},
    "/v1/otp/requests": {202, 409, 413, 422, 429, UNREADABLE},
    "/v1/otp/verifications": {200, 404, 409, 410, 413, 422, 423, UNREADABLE},
    "/v1/delivery-reports": {200, 413, 422, UNREADABLE},
}
OTHER = {200, 403, 404, 409, 413, 422, UNREADABLE}  # the certification transitions
FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(params=SERVICES)
async def service(
    request: pytest.FixtureRequest, kafka_bootstrap: str, mongodb_uri: str
) -> AsyncIterator[tuple[Service, httpx.AsyncClient]]:
    built = build_service(request.param, kafka_bootstrap, mongodb_uri)
    async with serving(built.app, "http://service", timeout=60) as client:
        yield built, client


hostile_text = st.sampled_from(["\\ud800", "\\udfff x", "a\\u0000b", "\\u001b[2J", "\\u007f"])
KEYS = ["name", "family_id", "mobile", "code", "challenge_id", "msgid", "status", "reason"]


@st.composite
def hostile_json(draw: st.DrawFn) -> bytes:
    """JSON text: an object with some plausible keys holding lone surrogates, control
    characters, long strings or values nested near and past the parsers' depths."""
    parts = []
    for key in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True)):
        kind = draw(st.sampled_from(["text", "deep", "long", "number"]))
        if kind == "number":  # Python's JSON reader takes NaN and Infinity; JSON cannot
            value = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "9" * 5000]))
        elif kind == "text":
            value = '"' + draw(hostile_text) + '"'
        elif kind == "deep":
            depth = draw(st.sampled_from([3, 4, 199, 201, 900, 1100, 20_000]))
            opener = draw(st.sampled_from(["[", '{"k":']))
            closer = "]" if opener == "[" else "}"
            value = opener * depth + "1" + closer * depth
        else:
            value = json.dumps("x" * draw(st.sampled_from([100, 10_000, 70_000])))
        parts.append(f"{json.dumps(key)}: {value}")
    return ("{" + ", ".join(parts) + "}").encode()


@FUZZ
@given(hostile_json())
async def test_hostile_json_to_every_route_gets_a_documented_status(
    service: tuple[Service, httpx.AsyncClient], body: bytes
) -> None:
    built, client = service
    for path in post_routes(built.app):
        headers = built.credentials(path) | {"Content-Type": "application/json"}
        if path == "/v1/certifications":
            response = await client.post(
                path, data={"submission": body.decode()}, headers=built.credentials(path)
            )
        else:
            response = await client.post(path, content=body, headers=headers)
        allowed = STATUSES.get(path, OTHER)
        assert response.status_code in allowed, (built.name, path, response.text[:300])
        if path == "/v1/hkrnl/records" and response.status_code == 200:
            report: dict[str, Any] = response.json()
            assert report["received"] == report["accepted"] + report["rejected"]
