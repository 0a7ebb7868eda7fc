"""The fake gateway shows every OTP it received: it binds to loopback only (unless a
development override says otherwise), its control routes need its token, and its page
says it is for development."""

from __future__ import annotations

import httpx
import pytest
from fastapi.routing import APIRoute

from notify.fakegateway.app import GatewayConfigError, bind_host, create_app

TOKEN = "control-token-for-tests"


@pytest.mark.parametrize("host", [None, "127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_addresses_are_bound(host: str | None) -> None:
    assert bind_host(host) == (host or "127.0.0.1")


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "gateway.example"])
def test_any_other_address_is_refused_unless_development_overrides(host: str) -> None:
    with pytest.raises(GatewayConfigError, match="development only"):
        bind_host(host)
    assert bind_host(host, allow_non_loopback=True) == host


def test_the_gateway_needs_a_control_token() -> None:
    with pytest.raises(GatewayConfigError):
        create_app(control_token="")


OPEN = {"/api/send", "/healthz", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}


def guarded_routes() -> list[tuple[str, str]]:
    """Every route of the gateway but notify's sending route, its health and its docs."""
    app = create_app(control_token=TOKEN)
    return sorted(
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute) and route.path not in OPEN
        for method in route.methods
    )


def test_the_sweep_sees_the_control_routes() -> None:
    assert {path for _, path in guarded_routes()} >= {"/control", "/reset", "/messages", "/"}


@pytest.mark.parametrize(("method", "path"), guarded_routes())
async def test_every_control_route_refuses_without_the_token(method: str, path: str) -> None:
    app = create_app(control_token=TOKEN)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gateway"
    ) as client:
        body = {} if method == "POST" else None
        anonymous = await client.request(method, path, json=body)
        wrong = await client.request(
            method, path, headers={"Authorization": "Bearer nope"}, json=body
        )
        right = await client.request(
            method, path, headers={"Authorization": f"Bearer {TOKEN}"}, json=body
        )

    assert (anonymous.status_code, wrong.status_code, right.status_code) == (401, 401, 200)


async def test_the_page_takes_the_token_as_a_query_and_says_it_is_for_development() -> None:
    app = create_app(control_token=TOKEN)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gateway"
    ) as client:
        page = await client.get("/", params={"token": TOKEN})
        sent = await client.post(
            "/api/send",
            data={
                "mobileno": "9876543210",
                "content": "x",
                "senderid": "S",
                "dlt_template_id": "1",
            },
        )

    assert page.status_code == 200
    assert "Development only" in page.text
    assert sent.status_code == 200, "notify's sending route stays open"
