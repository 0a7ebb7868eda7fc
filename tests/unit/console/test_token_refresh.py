"""An access token about to expire is refreshed with the refresh token; when the provider
no longer refreshes it, the officer is sent to sign in again and back to the same page."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from starlette.requests import Request

from console.auth import Auth, SignInRequiredError
from tests.unit.console.test_pages_offline import settings

WHO = {"sub": "s", "name": "N", "role": "ddo", "offices": ["DDO-1"], "department": None}


def request(tokens: dict[str, Any]) -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/blocked",
        "query_string": b"reason=non_contractual_head",
        "headers": [],
        "session": {"officer": WHO, "tokens": tokens},
    }
    return Request(scope)


def auth(answer: httpx.Response, seen: list[dict[str, str]]) -> Auth:
    def token_endpoint(sent: httpx.Request) -> httpx.Response:
        seen.append(dict(httpx.QueryParams(sent.content.decode())))
        return answer

    client = httpx.AsyncClient(transport=httpx.MockTransport(token_endpoint))
    found = Auth(settings(), client)
    found.client.server_metadata.update(_loaded_at=1, token_endpoint="http://idp/token")
    return found


async def test_a_token_about_to_expire_is_refreshed() -> None:
    seen: list[dict[str, str]] = []
    fresh = {"access_token": "new.access.token", "refresh_token": "r2", "expires_in": 900}
    refreshing = auth(httpx.Response(200, json=fresh), seen)
    asked = request({"access_token": "old", "refresh_token": "r1", "expires_at": time.time() + 5})
    officer = await refreshing.officer(asked)
    assert officer.token == "new.access.token"
    assert asked.session["tokens"]["refresh_token"] == "r2"
    assert asked.session["tokens"]["expires_at"] > time.time() + 800
    assert seen[0]["grant_type"] == "refresh_token"
    assert seen[0]["refresh_token"] == "r1"


async def test_a_refresh_the_provider_refuses_means_signing_in_again() -> None:
    refused = auth(httpx.Response(400, json={"error": "invalid_grant"}), [])
    asked = request({"access_token": "old", "refresh_token": "r1", "expires_at": time.time() - 1})
    with pytest.raises(SignInRequiredError) as raised:
        await refused.officer(asked)
    assert raised.value.next_path == "/blocked?reason=non_contractual_head"
    assert "tokens" not in asked.session
