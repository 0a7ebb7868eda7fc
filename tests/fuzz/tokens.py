"""Credentials that must never open a protected route, and the enumeration of every
protected route of an app from its OpenAPI document (so a new route is covered)."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
from fastapi import FastAPI

PUBLIC = {"/healthz", "/readyz", "/metrics"}
OTHER_SECRET = "a-different-secret-0123456789abcdef-xyz"


@dataclass(frozen=True)
class Call:
    method: str
    template: str
    url: str
    query: dict[str, str]


def protected_calls(app: FastAPI, fill: Mapping[str, str]) -> list[Call]:
    """Every operation outside PUBLIC, with path and query parameters filled from `fill`
    (by name; an enum parameter without a fill takes its first value)."""
    calls = []
    for template, operations in app.openapi()["paths"].items():
        if template in PUBLIC:
            continue
        for method, operation in operations.items():
            url, query = template, {}
            for param in operation.get("parameters", []):
                value = fill.get(param["name"]) or _first(param.get("schema", {}))
                if param["in"] == "path":
                    url = url.replace("{" + param["name"] + "}", value or "unknown")
                elif param["in"] == "query" and value:
                    query[param["name"]] = value
            calls.append(Call(method.upper(), template, url, query))
    return calls


def _first(schema: dict[str, Any]) -> str | None:
    enum = schema.get("enum") or [
        choice for option in schema.get("anyOf", []) for choice in option.get("enum", [])
    ]
    return str(enum[0]) if enum else None


def signed(
    secret: str,
    role: Any = "hrd",
    offices: Any = (),
    expires_in: timedelta = timedelta(hours=1),
    **claims: Any,
) -> str:
    body: dict[str, Any] = {
        "sub": "fuzz",
        "role": role,
        "offices": list(offices) if isinstance(offices, tuple | list) else offices,
        "exp": datetime.now(UTC) + expires_in,
        **claims,
    }
    return jwt.encode({k: v for k, v in body.items() if v is not None}, secret, algorithm="HS256")


def unsigned(role: str = "hrd") -> str:
    """A JWT with `alg: none` and no signature."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    exp = int((datetime.now(UTC) + timedelta(hours=1)).timestamp())
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({'sub': 'x', 'role': role, 'exp': exp})}."


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def jwt_impostors(secret: str, other_office: str, own_office: str) -> dict[str, dict[str, Any]]:
    """Officer tokens that must be refused: missing, malformed, forged, expired, for
    another office, of a role no officer has, or with claims of the wrong type."""
    return {
        "no token": {},
        "empty bearer": {"Authorization": "Bearer "},
        "not a JWT": bearer("not-a-jwt"),
        "three dots": bearer("a.b.c"),
        "non-ASCII bytes": {"Authorization": b"Bearer t\xf6k\xe9n"},
        "basic scheme": {"Authorization": "Basic " + base64.b64encode(b"hrd:hrd").decode()},
        "badly signed": bearer(signed(OTHER_SECRET)),
        "unsigned (alg none)": bearer(unsigned()),
        "expired": bearer(signed(secret, expires_in=timedelta(minutes=-5))),
        "another office": bearer(signed(secret, "ddo", (other_office,))),
        "unknown role": bearer(signed(secret, "employee", (own_office,))),
        "role of the wrong type": bearer(signed(secret, ["hrd"], (own_office,))),
        "offices of the wrong type": bearer(signed(secret, "ddo", 5)),
        "offices as one string": bearer(signed(secret, "ddo", own_office)),
        "no role": bearer(signed(secret, None, (own_office,))),
        "no expiry": bearer(jwt.encode({"sub": "x", "role": "hrd"}, secret, algorithm="HS256")),
    }


@dataclass
class Refusals:
    """Collects every call that was not refused, or whose body leaked a sentinel."""

    sentinels: list[str]
    problems: list[str] = field(default_factory=list)

    async def expect_refused(
        self,
        client: httpx.AsyncClient,
        call: Call,
        label: str,
        headers: dict[str, str],
        **request: Any,
    ) -> None:
        response = await client.request(
            call.method, call.url, params=call.query, headers=headers, **request
        )
        where = f"{call.method} {call.template} with {label}"
        if response.status_code not in {401, 403}:
            self.problems.append(f"{where}: {response.status_code} {response.text[:200]}")
        leaked = [s for s in self.sentinels if s and s in response.text]
        if leaked:
            self.problems.append(f"{where}: body carries {leaked}")
