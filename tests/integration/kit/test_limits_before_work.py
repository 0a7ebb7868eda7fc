"""On every service, a protected route checks its caller before it reads a byte of the
body, and each route's byte limit is enforced while the body is read (413), never after.
Swept over every POST route of each service's OpenAPI document, on the real servers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from ingest.app import create_app as create_ingest
from tests.factories.ingest import bearer, ingest_settings
from tests.helpers import serving
from tests.sweep import SERVICES, Service, build_service, post_routes

CHUNK = b"{" * 64 * 1024
CHUNKS = 16 * 1024  # 1 GB, if it were all read


@pytest.fixture(params=SERVICES)
async def service(
    request: pytest.FixtureRequest, kafka_bootstrap: str, mongodb_uri: str
) -> AsyncIterator[tuple[Service, httpx.AsyncClient]]:
    built = build_service(request.param, kafka_bootstrap, mongodb_uri)
    async with serving(built.app, "http://service", timeout=60) as client:
        yield built, client


class Counted:
    """A request body sent chunk by chunk, counting the chunks the server pulled."""

    def __init__(self, start: bytes = b"") -> None:
        self.pulled, self.start = 0, start

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(CHUNKS):
            self.pulled += 1
            yield self.start + CHUNK if self.pulled == 1 else CHUNK


MULTIPART = b'--x\r\nContent-Disposition: form-data; name="letter"; filename="l.pdf"\r\n\r\n'


def _content_type(app: FastAPI, path: str) -> dict[str, str]:
    """The media type the route declares for its body (none: the route takes no body)."""
    for template, ops in app.openapi()["paths"].items():
        concrete = template.replace("{source}", "hkrnl").replace("{cert_id}", "cert-x")
        if concrete == path and "post" in ops:
            content = ops["post"].get("requestBody", {}).get("content", {})
            if not content:
                return {}
            kind = next(iter(content))
            return {"Content-Type": f"{kind}; boundary=x" if "multipart" in kind else kind}
    return {}


async def test_a_huge_body_without_credentials_is_401_and_never_read(
    service: tuple[Service, httpx.AsyncClient],
) -> None:
    built, client = service
    for path in post_routes(built.app):
        body = Counted()
        response = await client.post(path, content=body)
        assert response.status_code == 401, (built.name, path, response.text)
        assert body.pulled <= 1, (built.name, path, body.pulled)


async def test_malformed_json_without_credentials_is_401_not_422(
    service: tuple[Service, httpx.AsyncClient],
) -> None:
    built, client = service
    for path in post_routes(built.app):
        response = await client.post(
            path, content=b'{"oops', headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 401, (built.name, path, response.text)


async def test_a_huge_body_with_credentials_is_413_while_it_is_read(
    service: tuple[Service, httpx.AsyncClient],
) -> None:
    built, client = service
    for path in post_routes(built.app):
        if path.startswith("/v1/uploads/"):
            continue  # half a gigabyte by design: its limit is shown with a small setting
        declared = _content_type(built.app, path)
        headers = built.credentials(path) | (declared or {"Content-Type": "application/json"})
        body = Counted(MULTIPART if "multipart" in headers["Content-Type"] else b"")
        response = await client.post(path, content=body, headers=headers)
        if not declared:  # a route that takes no body never reads one
            assert body.pulled <= 1, (built.name, path, body.pulled)
            continue
        assert response.status_code == 413, (built.name, path, response.text)
        assert "exceeds" in response.json()["detail"]
        assert body.pulled < CHUNKS // 8, (built.name, path, body.pulled)


async def test_an_upload_past_its_limit_is_413_while_it_is_read(
    kafka_bootstrap: str, mongodb_uri: str
) -> None:
    app = create_ingest(ingest_settings(kafka_bootstrap, mongodb_uri, max_upload_bytes=10**6))
    async with serving(app, "http://ingest") as client:
        body = Counted()
        response = await client.post("/v1/uploads/hkrnl", content=body, headers=bearer("hkrnl"))
    assert response.status_code == 413
    assert body.pulled < 40
