"""Oversized uploads are refused with 413 on every upload route of ingest (found in the
app's OpenAPI document, so a new route is covered) and for certification letters, and
a body at the limit is not."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from itertools import product
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from certification.app import create_app as create_certification
from ingest.app import create_app as create_ingest
from tests.factories import unique
from tests.factories.certification import PDF, auth, submission
from tests.factories.certification import settings as certification_settings
from tests.factories.ingest import TOKENS, ingest_settings
from tests.helpers import serving
from tests.integration.certification.conftest import seeding, start_at_end

LIMIT = 1000
LETTER_LIMIT = 4096


def upload_routes(app: FastAPI) -> list[str]:
    """Every POST path of the app, with path parameters expanded over their enum values."""
    paths: list[str] = []
    for path, operations in app.openapi()["paths"].items():
        if "post" not in operations:
            continue
        params = [p for p in operations["post"].get("parameters", []) if p["in"] == "path"]
        choices = [p["schema"].get("enum", ["x"]) for p in params]
        for values in product(*choices):
            expanded = path
            for param, value in zip(params, values, strict=True):
                expanded = expanded.replace("{" + param["name"] + "}", str(value))
            paths.append(expanded)
    return sorted(paths)


@dataclass
class Ingest:
    client: httpx.AsyncClient
    routes: list[str]


@pytest.fixture
async def ingest(kafka_bootstrap: str, mongodb_uri: str) -> AsyncIterator[Ingest]:
    app = create_ingest(ingest_settings(kafka_bootstrap, mongodb_uri, max_upload_bytes=LIMIT))
    async with serving(app, "http://ingest") as client:
        yield Ingest(client, upload_routes(app))


async def statuses(client: httpx.AsyncClient, path: str, **request: Any) -> set[int]:
    """Status codes of the same request sent with each source's token: a body is only
    read for the source the token belongs to (the others get 403 before)."""
    codes = set()
    extra = request.pop("headers", {})
    for token in TOKENS.values():
        headers = {"Authorization": f"Bearer {token}", **extra}
        content = request.get("content")
        if callable(content):
            request = {**request, "content": content()}
        response = await client.post(path, headers=headers, **request)
        codes.add(response.status_code)
        assert response.status_code in {200, 403, 413, 422}, response.text
    return codes


def test_every_source_has_an_upload_route_found_by_the_enumeration() -> None:
    app = create_ingest(ingest_settings("kafka:9092", "mongodb://x", max_upload_bytes=LIMIT))
    routes = upload_routes(app)
    assert "/v1/hkrnl/records" in routes
    assert {f"/v1/uploads/{source}" for source in TOKENS} <= set(routes)


async def test_every_upload_route_refuses_a_body_past_the_limit_with_413(
    ingest: Ingest,
) -> None:
    for path in ingest.routes:
        over = await statuses(ingest.client, path, content=b"a" * (LIMIT + 1))
        assert 413 in over, path
        assert over <= {403, 413}, path


async def test_every_upload_route_refuses_a_declared_oversized_body_before_reading_it(
    ingest: Ingest,
) -> None:
    for path in ingest.routes:
        declared = {"Content-Length": str(200 * 1024 * 1024)}
        codes = await statuses(ingest.client, path, content=b"x", headers=declared)
        assert 413 in codes, path


async def test_every_upload_route_refuses_a_streamed_body_past_the_limit(
    ingest: Ingest,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"b" * (LIMIT // 3)

    for path in ingest.routes:
        assert 413 in await statuses(ingest.client, path, content=chunks), path


async def test_a_body_at_the_limit_is_read_not_refused_as_too_large(
    ingest: Ingest,
) -> None:
    for path in ingest.routes:
        at_limit = await statuses(ingest.client, path, content=b"c" * LIMIT)
        assert 413 not in at_limit, path
        assert at_limit & {200, 422}, path


@pytest.fixture
async def certification(kafka_bootstrap: str, mongodb_uri: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = certification_settings(kafka_bootstrap, mongodb_uri, max_letter_bytes=LETTER_LIMIT)
    await start_at_end(settings)
    app = create_certification(settings)
    async with serving(app, "http://cert") as client:
        client.event_hooks = {"request": [seeding(app)], "response": []}  # employees in data
        yield client


async def submit_with_letter(
    client: httpx.AsyncClient, size: int
) -> tuple[httpx.Response, Callable[[], Awaitable[list[Any]]]]:
    """The response to a submission whose letter has `size` bytes, and a way to list what
    was stored for its employee."""
    office = unique("DDO")
    sub = submission(office)
    letter = PDF + b"%" * (size - len(PDF))
    response = await client.post(
        "/v1/certifications",
        data={"submission": json.dumps(sub)},
        files={"letter": ("letter.pdf", letter, "application/pdf")},
        headers=auth("ddo", office),
    )

    async def stored() -> list[Any]:
        found = await client.get(
            "/v1/certifications",
            params={"employee_id": sub["employee_id"]},
            headers=auth("ddo", office),
        )
        assert found.status_code == 200, found.text
        listed: list[Any] = found.json()
        return listed

    return response, stored


@pytest.mark.parametrize("size", [LETTER_LIMIT + 1, 10 * LETTER_LIMIT, 300 * LETTER_LIMIT])
async def test_a_certification_letter_past_the_limit_is_refused_with_413_and_not_stored(
    certification: httpx.AsyncClient, size: int
) -> None:
    response, stored = await submit_with_letter(certification, size)
    assert response.status_code == 413, response.text
    assert response.json()["detail"]["reason"] == "too_large"
    assert await stored() == []


async def test_a_certification_letter_at_the_limit_is_accepted(
    certification: httpx.AsyncClient,
) -> None:
    response, stored = await submit_with_letter(certification, LETTER_LIMIT)
    assert response.status_code == 201, response.text
    assert len(await stored()) == 1
