"""Credentials that must never open a protected route, and the enumeration of every
protected route of an app from its OpenAPI document (so a new route is covered)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from fastapi import FastAPI

from tests.oidc import LocalIssuer, SigningKey

PUBLIC = {"/healthz", "/readyz", "/metrics", "/v1/reasons"}  # reasons: public texts, no data


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
    issuer: LocalIssuer,
    role: Any = "hrd",
    offices: Any = (),
    expires_in: timedelta = timedelta(minutes=15),
    key: SigningKey | None = None,
    **claims: Any,
) -> str:
    """A token of the test issuer (trusted by the services under test)."""
    now = datetime.now(UTC)
    body: dict[str, Any] = {
        "roles": [role] if isinstance(role, str) else role,
        "offices": list(offices) if isinstance(offices, tuple | list) else offices,
        "iat": int((now + expires_in - timedelta(minutes=15)).timestamp()),
        "exp": int((now + expires_in).timestamp()),
        **claims,
    }
    return issuer.token(key, **body)


def unsigned(issuer: LocalIssuer, role: str = "hrd") -> str:
    """A JWT with `alg: none` and no signature."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    claims = issuer.claims(roles=[role])
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def jwt_impostors(
    issuer: LocalIssuer, other_office: str, own_office: str
) -> dict[str, dict[str, Any]]:
    """Officer tokens that must be refused: missing, malformed, forged, expired, of another
    issuer or audience, for another office, of a role no officer has, with claims of the
    wrong type, or signed with a shared secret (HS256, the public key as the secret)."""
    published = issuer.published[0]
    stranger = SigningKey.rsa()
    forged = SigningKey(published.kid, published.alg, stranger.private)
    public_pem = published.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # PyJWT refuses to HMAC-sign with a PEM key; the key-confusion token is built by hand
    header = {"alg": "HS256", "typ": "JWT", "kid": published.kid}
    signing_input = ".".join(
        base64.urlsafe_b64encode(json.dumps(x).encode()).rstrip(b"=").decode()
        for x in (header, issuer.claims(roles=["hrd"]))
    )
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    key_confusion = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    return {
        "no token": {},
        "empty bearer": {"Authorization": "Bearer "},
        "not a JWT": bearer("not-a-jwt"),
        "three dots": bearer("a.b.c"),
        "non-ASCII bytes": {"Authorization": b"Bearer t\xf6k\xe9n"},
        "basic scheme": {"Authorization": "Basic " + base64.b64encode(b"hrd:hrd").decode()},
        "badly signed": bearer(signed(issuer, key=forged)),
        "signed with an unknown key": bearer(signed(issuer, key=stranger)),
        "unsigned (alg none)": bearer(unsigned(issuer)),
        "HS256 with the public key": bearer(key_confusion),
        "HS256 with a shared secret": bearer(
            jwt.encode(issuer.claims(roles=["hrd"]), "s" * 40, algorithm="HS256")
        ),
        "expired": bearer(signed(issuer, expires_in=timedelta(minutes=-5))),
        "too long-lived": bearer(
            signed(
                issuer,
                iat=int(datetime.now(UTC).timestamp()),
                exp=int((datetime.now(UTC) + timedelta(days=3650)).timestamp()),
            )
        ),
        "another issuer": bearer(signed(issuer, iss="http://127.0.0.1:9/realms/other")),
        "another audience": bearer(signed(issuer, aud=["account"])),
        "no sub": bearer(signed(issuer, sub=None)),
        "not valid yet": bearer(signed(issuer, nbf=int(datetime.now(UTC).timestamp()) + 3600)),
        "another office": bearer(signed(issuer, "ddo", (other_office,))),
        "unknown role": bearer(signed(issuer, "employee", (own_office,))),
        "role of the wrong type": bearer(signed(issuer, {"hrd": True}, (own_office,))),
        "offices of the wrong type": bearer(signed(issuer, "ddo", 5)),
        "offices as one string": bearer(signed(issuer, "ddo", own_office)),
        "no role": bearer(signed(issuer, [], (own_office,))),
        "no expiry": bearer(signed(issuer, exp=None)),
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
