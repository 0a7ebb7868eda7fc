"""Officers and a console client of their own in the local identity provider, made through
its admin API for one browser-test session (unique names; the realm's own data untouched)."""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyotp

from tests.factories import unique

ROOT = Path(__file__).resolve().parents[2]
REALM = "seva"
TOTP_CREDENTIAL = {"subType": "totp", "digits": 6, "period": 30, "algorithm": "HmacSHA1"}


@dataclass(frozen=True)
class Officer:
    username: str
    password: str
    totp_secret: str | None = None

    def code(self) -> str:
        """The current TOTP code, as the officer's authenticator app shows it."""
        assert self.totp_secret is not None
        # The provider keeps the secret as text; authenticator apps are given its base32.
        key = base64.b32encode(self.totp_secret.encode()).decode().rstrip("=")
        return pyotp.TOTP(key).now()


class RealmAdmin:
    def __init__(self, base_url: str, state: Path) -> None:
        self.base_url = base_url.rstrip("/")
        password = (state / "keycloak" / "admin-password").read_text().strip()
        token = httpx.post(
            f"{self.base_url}/realms/master/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": os.environ.get("SEVA_KEYCLOAK_ADMIN", "admin"),
                "password": password,
            },
            timeout=30,
        )
        token.raise_for_status()
        self.http = httpx.Client(
            base_url=f"{self.base_url}/admin/realms/{REALM}",
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
            timeout=30,
        )

    def _ok(self, response: httpx.Response) -> httpx.Response:
        if response.status_code >= 400:
            raise AssertionError(f"{response.request.url}: {response.status_code} {response.text}")
        return response

    def console_client(self, redirect_base: str) -> tuple[str, str]:
        """A confidential copy of the realm's console client that may return to
        `redirect_base`: its id and secret."""
        [template] = self._ok(self.http.get("/clients", params={"clientId": "seva-console"})).json()
        client_id, secret = unique("seva-console-test"), secrets.token_urlsafe(24)
        copy = {
            key: template[key]
            for key in ("protocol", "protocolMappers", "attributes", "defaultClientScopes")
            if key in template
        }
        for mapper in copy.get("protocolMappers", []):
            mapper.pop("id", None)
        attributes = dict(copy.get("attributes", {}))
        attributes["post.logout.redirect.uris"] = f"{redirect_base}/*"
        copy.update(
            clientId=client_id,
            enabled=True,
            publicClient=False,
            secret=secret,
            standardFlowEnabled=True,
            directAccessGrantsEnabled=False,
            redirectUris=[f"{redirect_base}/*"],
            webOrigins=["+"],
            attributes=attributes,
        )
        self._ok(self.http.post("/clients", json=copy))
        return client_id, secret

    def officer(self, role: str, totp: bool = False, **attributes: list[str]) -> Officer:
        """A user with `role`, these attributes (offices, department), a password and,
        when `totp`, an authenticator already enrolled."""
        username, password = unique(f"test-{role}").lower(), secrets.token_urlsafe(18)
        credentials: list[dict[str, Any]] = [
            {"type": "password", "value": password, "temporary": False}
        ]
        totp_secret = None
        if totp:
            totp_secret = secrets.token_hex(10)
            credentials.append(
                {
                    "type": "otp",
                    "userLabel": "test authenticator",
                    "secretData": json.dumps({"value": totp_secret}),
                    "credentialData": json.dumps({**TOTP_CREDENTIAL, "counter": 0}),
                }
            )
        self._ok(
            self.http.post(
                "/users",
                json={
                    "username": username,
                    "enabled": True,
                    "emailVerified": True,
                    "firstName": role.upper(),
                    "lastName": "Officer",
                    "email": f"{username}@example.test",
                    "attributes": attributes,
                    "credentials": credentials,
                    "requiredActions": [],
                },
            )
        )
        [user] = self._ok(
            self.http.get("/users", params={"username": username, "exact": "true"})
        ).json()
        role_rep = self._ok(self.http.get(f"/roles/{role}")).json()
        self._ok(self.http.post(f"/users/{user['id']}/role-mappings/realm", json=[role_rep]))
        return Officer(username, password, totp_secret)

    def remove(self, username: str) -> None:
        for user in self.http.get("/users", params={"username": username, "exact": "true"}).json():
            self.http.delete(f"/users/{user['id']}")

    def remove_client(self, client_id: str) -> None:
        for client in self.http.get("/clients", params={"clientId": client_id}).json():
            self.http.delete(f"/clients/{client['id']}")
