"""Provisioning officers in the local Keycloak through its admin REST API (demo and tests).

    create_officer(admin, "ddo-hsr", "ddo", offices=["DDO0001"], password=...)
    create_officer(admin, "hrd-1", "hrd", password=..., totp_secret=...)   # TOTP pre-set

An officer is a user of the realm with one realm role (admin_secretary, hod, ddo, hrd),
the attribute `offices` (DDO codes) or `department` (a department code), and a password.
HRD officers need a TOTP device: given `totp_secret`, one is stored with the user (what the
officer's authenticator app would hold), so a script can sign in with the current code;
without it the officer sets one up at the first browser sign-in. This is the only
Keycloak-specific code beside servers.py; the services read plain OIDC claims.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import keycloak  # deploy/local/keycloak.py

REALM_ROLES = {
    "administrative_secretary": "admin_secretary",
    "hod": "hod",
    "ddo": "ddo",
    "hrd": "hrd",
}


def totp_key(secret: str) -> str:
    """The base32 key an authenticator app (or pyotp) uses for a stored TOTP secret."""
    return base64.b32encode(secret.encode()).decode()


@dataclass
class Admin:
    """An admin REST API session of the master realm's administrator."""

    base: str
    token: str
    realm: str = keycloak.REALM

    @classmethod
    def sign_in(cls, state: Path, base: str | None = None) -> Admin:
        base = base or keycloak.base_url()
        password = os.environ.get("SEVA_KEYCLOAK_ADMIN_PASSWORD")
        if not password:
            path = keycloak.admin_password_file(state)
            if not path.exists():
                raise RuntimeError(
                    f"no Keycloak admin password at {path}: start Keycloak with servers.py "
                    "or set SEVA_KEYCLOAK_ADMIN_PASSWORD"
                )
            password = path.read_text().strip()
        answer = httpx.post(
            f"{base}/realms/master/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": keycloak.ADMIN_USER,
                "password": password,
            },
            timeout=30,
        )
        answer.raise_for_status()
        return cls(base, answer.json()["access_token"])

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        answer = httpx.request(
            method,
            f"{self.base}/admin/realms/{self.realm}{path}",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
            **kwargs,
        )
        answer.raise_for_status()
        return answer

    def user_id(self, username: str) -> str | None:
        found = self.call("GET", "/users", params={"username": username, "exact": "true"}).json()
        return str(found[0]["id"]) if found else None


def create_officer(
    admin: Admin,
    username: str,
    role: str,
    *,
    password: str,
    offices: list[str] | tuple[str, ...] = (),
    department: str | None = None,
    totp_secret: str | None = None,
) -> str:
    """Create (or replace) the officer; returns the user id (the tokens' `sub`)."""
    if (existing := admin.user_id(username)) is not None:
        admin.call("DELETE", f"/users/{existing}")
    attributes: dict[str, list[str]] = {}
    if offices:
        attributes["offices"] = list(offices)
    if department:
        attributes["department"] = [department]
    credentials: list[dict[str, Any]] = [
        {"type": "password", "value": password, "temporary": False}
    ]
    if totp_secret:
        credentials.append(
            {
                "type": "otp",
                "userLabel": "provisioned",
                "secretData": json.dumps({"value": totp_secret}),
                "credentialData": json.dumps(
                    {
                        "subType": "totp",
                        "digits": 6,
                        "counter": 0,
                        "period": 30,
                        "algorithm": "HmacSHA1",
                    }
                ),
            }
        )
    user = {
        "username": username,
        "enabled": True,
        "email": f"{username}@officers.invalid",
        "emailVerified": True,
        "firstName": username,
        "lastName": REALM_ROLES[role],
        "attributes": attributes,
        "credentials": credentials,
        "requiredActions": [] if totp_secret or role != "hrd" else ["CONFIGURE_TOTP"],
    }
    admin.call("POST", "/users", json=user)
    user_id = admin.user_id(username)
    assert user_id is not None
    realm_role = admin.call("GET", f"/roles/{REALM_ROLES[role]}").json()
    admin.call("POST", f"/users/{user_id}/role-mappings/realm", json=[realm_role])
    return user_id


def disable(admin: Admin, username: str) -> None:
    """Revoke an officer's access: no new sign-in, no refresh; tokens lapse within 15 min."""
    user_id = admin.user_id(username)
    if user_id is not None:
        admin.call("PUT", f"/users/{user_id}", json={"enabled": False})
        admin.call("POST", f"/users/{user_id}/logout")


class DemoOfficers:
    """The demo's officers, created on first use; their passwords (and the HRD officer's
    TOTP key) are generated into <state>/keycloak/demo-officers.json (mode 600), never
    written in code. Signs them in by the password grant (client seva-cli)."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.path = state / "keycloak" / "demo-officers.json"
        self.known: dict[str, dict[str, Any]] = (
            json.loads(self.path.read_text()) if self.path.exists() else {}
        )
        self.tokens: dict[str, str] = {}

    def ensure(
        self, username: str, role: str, offices: tuple[str, ...] = (), department: str | None = None
    ) -> str:
        wanted = {"role": role, "offices": list(offices), "department": department}
        entry = self.known.get(username)
        if entry is None or {k: entry.get(k) for k in wanted} != wanted:
            import secrets

            entry = {**wanted, "password": secrets.token_urlsafe(18)}
            if role == "hrd":
                entry["totp_secret"] = secrets.token_urlsafe(15)
            create_officer(
                Admin.sign_in(self.state),  # the admin's tokens live a minute: a fresh one
                username,
                role,
                password=entry["password"],
                offices=offices,
                department=department,
                totp_secret=entry.get("totp_secret"),
            )
            self.known[username] = entry
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.known, indent=1) + "\n")
            self.path.chmod(0o600)
        return username

    def bearer(self, username: str) -> dict[str, str]:
        from servicekit import signin

        if username not in self.tokens:
            entry = self.known[username]
            code = None
            if entry.get("totp_secret"):
                import pyotp

                code = pyotp.TOTP(totp_key(entry["totp_secret"])).now()
            answer = signin.password_grant(
                keycloak.issuer(), "seva-cli", username, entry["password"], code
            )
            self.tokens[username] = answer["access_token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}
