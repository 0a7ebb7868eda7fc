"""Authentication before the body is read, and each route's byte limit while it is read."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel
from starlette.datastructures import Headers

from servicekit.guard import RequestGuard, Rule, bearer
from servicekit.hostile import add_hostile_input_handlers

CHUNK = b"x" * 1024


class Body(BaseModel):
    name: str


async def _token(headers: Headers) -> None:
    credentials = bearer(headers)
    if credentials is None or credentials.credentials != "good":
        raise HTTPException(
            401, "a valid token is required", headers={"WWW-Authenticate": "Bearer"}
        )


def _app() -> FastAPI:
    app = FastAPI()
    add_hostile_input_handlers(app)

    @app.post("/v1/json")
    async def json_route(body: Body) -> dict[str, str]:
        return {"name": body.name}

    @app.post("/v1/stream")
    async def stream_route(request: Request) -> dict[str, int]:
        return {"size": sum([len(chunk) async for chunk in request.stream()])}

    @app.post("/open")
    async def open_route(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    rules = [Rule(r"/v1/stream", 8 * 1024, _token), Rule(r"/v1/.*", 2 * 1024, _token)]
    app.add_middleware(RequestGuard, rules=rules, default_max_bytes=4 * 1024)
    return app


class Counted:
    """A request body sent chunk by chunk; counts how many chunks were pulled."""

    def __init__(self, chunks: int) -> None:
        self.chunks, self.pulled = chunks, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.pulled += 1
            yield CHUNK


async def _post(path: str, body: object, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(path, content=body, headers=headers)  # type: ignore[arg-type]


async def test_a_large_body_without_a_token_gets_401_and_is_never_read() -> None:
    body = Counted(100_000)  # 100 MB, if it were read
    response = await _post("/v1/stream", body)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert body.pulled <= 1  # the transport may take the first chunk; the app none


async def test_malformed_json_without_a_token_is_401_not_422() -> None:
    response = await _post("/v1/json", b"{not json", **{"content-type": "application/json"})
    assert response.status_code == 401


async def test_an_oversized_body_with_a_token_gets_413_while_it_is_read() -> None:
    body = Counted(100_000)
    response = await _post("/v1/stream", body, authorization="Bearer good")
    assert response.status_code == 413
    assert body.pulled < 20  # stopped soon after the 8 KB limit, not at the end


async def test_a_declared_length_past_the_limit_is_413_before_reading() -> None:
    response = await _post(
        "/v1/json", b"x" * 3000, authorization="Bearer good", **{"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_within_the_limits_a_request_goes_through() -> None:
    ok = await _post("/v1/stream", Counted(4), authorization="Bearer good")
    assert ok.json() == {"size": 4096}
    named = await _post(
        "/v1/json",
        b'{"name": "x"}',
        authorization="Bearer good",
        **{"content-type": "application/json"},
    )
    assert named.json() == {"name": "x"}


async def test_a_route_without_a_rule_has_the_default_limit_and_no_authentication() -> None:
    assert (await _post("/open", b"x" * 4096)).json() == {"size": 4096}
    assert (await _post("/open", Counted(5))).status_code == 413
