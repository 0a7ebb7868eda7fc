"""Every upload is authenticated per source system; oversized requests are refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from ingest.app import create_app
from ingest.settings import IngestSettings
from tests.factories.ingest import bearer, ingest_settings
from tests.helpers import serving

CSV = b"employee_id,name\n1,A\n"


async def test_an_upload_without_a_token_is_refused_with_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/uploads/hkrnl", content=CSV)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_an_unknown_token_is_refused_with_401(client: httpx.AsyncClient) -> None:
    headers = {"Authorization": "Bearer not-a-token"}
    response = await client.post("/v1/uploads/ebilling", content=CSV, headers=headers)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("token_of", "path"),
    [
        ("ebilling", "/v1/uploads/hkrnl"),
        ("hkrnl", "/v1/uploads/ebilling"),
        ("hkrnl", "/v1/uploads/master"),
        ("master", "/v1/hkrnl/records"),
    ],
)
async def test_a_token_of_another_source_is_refused_with_403(
    client: httpx.AsyncClient, token_of: str, path: str
) -> None:
    response = await client.post(path, content=CSV, headers=bearer(token_of))
    assert response.status_code == 403
    assert "may not" in response.json()["detail"]


async def test_a_batch_report_is_not_shown_without_a_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/v1/batches/any")).status_code == 401
    assert (await client.get("/v1/reports/completeness")).status_code == 401


async def test_a_declared_oversized_upload_is_refused_with_413(
    client: httpx.AsyncClient,
) -> None:
    limit = IngestSettings.model_fields["max_upload_bytes"].default
    headers = bearer("ebilling") | {"Content-Length": str(limit + 1)}
    response = await client.post("/v1/uploads/ebilling", content=b"x", headers=headers)
    assert response.status_code == 413
    assert "exceeds" in response.json()["detail"]


@pytest.fixture
async def small_limit_client(
    kafka_bootstrap: str, mongodb_uri: str
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(ingest_settings(kafka_bootstrap, mongodb_uri, max_upload_bytes=1000))
    async with serving(app, "http://ingest") as http:
        yield http


async def test_a_streamed_body_past_the_limit_is_refused_with_413(
    small_limit_client: httpx.AsyncClient,
) -> None:
    async def body() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"a" * 400

    response = await small_limit_client.post(
        "/v1/uploads/hkrnl", content=body(), headers=bearer("hkrnl")
    )
    assert response.status_code == 413


async def test_a_push_of_more_than_1000_records_is_refused_with_413(
    client: httpx.AsyncClient,
) -> None:
    records: list[dict[str, Any]] = [{"employee_id": str(i)} for i in range(1001)]
    response = await client.post("/v1/hkrnl/records", json=records, headers=bearer("hkrnl"))
    assert response.status_code == 413
    assert "at most 1000 records" in response.json()["detail"]


async def test_a_push_that_is_not_json_is_refused_with_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/hkrnl/records", content=b"{oops", headers=bearer("hkrnl"))
    assert response.status_code == 422
    assert "not valid UTF-8 JSON" in response.json()["detail"]
