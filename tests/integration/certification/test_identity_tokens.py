"""Tokens of the real Keycloak that must be refused: from another issuer, for another
audience, expired, signed with a rotated-out key; and a key rotation in Keycloak (a new
RSA key provider of higher priority, the old one disabled, through the admin API) is picked
up by the running service without a restart. A realm of its own (imported from
deploy/keycloak/seva-realm.json under another name) keeps the rotation away from the
session's realm."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import pyotp
import pytest

from certification.app import create_app
from servicekit import signin
from tests import officers
from tests.factories import unique
from tests.factories.certification import settings as make_settings
from tests.helpers import serving
from tests.integration.certification.conftest import start_at_end

REALM_FILE = officers.ROOT / "deploy" / "keycloak" / "seva-realm.json"


@dataclass
class Realm:
    base: str
    name: str

    @property
    def admin(self) -> Any:
        """A fresh admin session bound to this realm (the admin's tokens live a minute)."""
        signed_in = officers.provisioning.Admin.sign_in(officers.state_dir())
        return officers.provisioning.Admin(signed_in.base, signed_in.token, realm=self.name)

    @property
    def issuer(self) -> str:
        return f"{self.base}/realms/{self.name}"

    def client(self, client_id: str, *, audience: bool = True, lifespan: int | None = None) -> None:
        """A public password-grant client like seva-cli (without the audience mapper, or
        with its own access token lifespan)."""
        admin = self.admin
        [cli] = admin.call("GET", "/clients", params={"clientId": "seva-cli"}).json()
        rep = {k: v for k, v in cli.items() if k not in ("id", "clientId", "protocolMappers")}
        mappers = [
            {k: v for k, v in m.items() if k != "id"}
            for m in cli.get("protocolMappers", [])
            if audience or m["protocolMapper"] != "oidc-audience-mapper"
        ]
        attributes = dict(rep.get("attributes", {}))
        if lifespan is not None:
            attributes["access.token.lifespan"] = str(lifespan)
        admin.call(
            "POST",
            "/clients",
            json={
                **rep,
                "clientId": client_id,
                "protocolMappers": mappers,
                "attributes": attributes,
            },
        )

    def ddo(self, office: str) -> tuple[str, str]:
        username, password = unique("ddo").lower(), secrets.token_urlsafe(18)
        officers.provisioning.create_officer(
            self.admin, username, "ddo", password=password, offices=[office]
        )
        return username, password

    def token(self, user: tuple[str, str], client_id: str = "seva-cli") -> str:
        answer = signin.password_grant(self.issuer, client_id, *user)
        return str(answer["access_token"])

    def rotate(self) -> None:
        """Add an RSA key provider of higher priority, then disable every older one."""
        admin = self.admin
        realm_id = admin.call("GET", "").json()["id"]
        providers = admin.call(
            "GET", "/components", params={"type": "org.keycloak.keys.KeyProvider"}
        ).json()
        old = [p for p in providers if p["providerId"] == "rsa-generated"]
        admin.call(
            "POST",
            "/components",
            json={
                "name": unique("rsa-rotated"),
                "providerId": "rsa-generated",
                "providerType": "org.keycloak.keys.KeyProvider",
                "parentId": realm_id,
                "config": {
                    "priority": ["1000"],
                    "enabled": ["true"],
                    "active": ["true"],
                    "keySize": ["2048"],
                    "algorithm": ["RS256"],
                },
            },
        )
        for provider in old:
            provider["config"]["enabled"] = ["false"]
            admin.call("PUT", f"/components/{provider['id']}", json=provider)


@pytest.fixture(scope="module")
def realm(servers: dict[str, str]) -> Iterator[Realm]:
    admin = officers.provisioning.Admin.sign_in(officers.state_dir())
    name = unique("seva-test")
    rep = json.loads(REALM_FILE.read_text())
    rep["realm"] = name
    answer = httpx.post(
        f"{admin.base}/admin/realms",
        json=rep,
        headers={"Authorization": f"Bearer {admin.token}"},
        timeout=60,
    )
    answer.raise_for_status()
    try:
        yield Realm(admin.base, name)
    finally:
        again = officers.provisioning.Admin.sign_in(officers.state_dir())
        httpx.delete(
            f"{again.base}/admin/realms/{name}",
            headers={"Authorization": f"Bearer {again.token}"},
            timeout=60,
        )


@pytest.fixture
async def service(
    realm: Realm, kafka_bootstrap: str, mongodb_uri: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(
        kafka_bootstrap,
        mongodb_uri,
        oidc_issuer=realm.issuer,
        oidc_leeway_seconds=0,
        oidc_jwks_min_refetch_seconds=0,
    )
    await start_at_end(settings)
    app = create_app(settings)
    async with serving(app, "http://cert") as client:
        yield client


async def _status(client: httpx.AsyncClient, token: str) -> tuple[int, str]:
    answer = await client.get("/v1/certifications", headers={"Authorization": f"Bearer {token}"})
    body = answer.json()
    return answer.status_code, str(body.get("detail", "")) if isinstance(body, dict) else ""


async def test_tokens_of_another_issuer_audience_or_expired_are_refused(
    realm: Realm, service: httpx.AsyncClient
) -> None:
    office = unique("DDO")
    user = realm.ddo(office)
    realm.client("seva-no-audience", audience=False)
    realm.client("seva-short-lived", lifespan=1)
    elsewhere = officers.token("ddo", office)  # the session's realm: another issuer
    no_audience = realm.token(user, "seva-no-audience")
    short = realm.token(user, "seva-short-lived")
    assert "seva" not in jwt.decode(no_audience, options={"verify_signature": False})["aud"]

    valid = await _status(service, realm.token(user))
    other_issuer = await _status(service, elsewhere)
    other_audience = await _status(service, no_audience)
    await asyncio.sleep(2.5)
    expired = await _status(service, short)

    assert valid == (200, "")
    assert other_issuer[0] == 401
    assert "issuer" in other_issuer[1] or "not among the issuer's keys" in other_issuer[1]
    assert other_audience == (401, "token audience is not seva")
    assert expired == (401, "token expired")


async def test_a_key_rotation_in_keycloak_is_picked_up_without_a_restart(
    realm: Realm, service: httpx.AsyncClient
) -> None:
    user = realm.ddo(unique("DDO"))
    before = realm.token(user)
    assert await _status(service, before) == (200, "")

    realm.rotate()
    after = realm.token(user)
    old_kid = jwt.get_unverified_header(before)["kid"]
    new_kid = jwt.get_unverified_header(after)["kid"]

    assert new_kid != old_kid
    assert await _status(service, after) == (200, "")  # the same running service
    rotated_out = await _status(service, before)
    assert rotated_out[0] == 401
    assert "not among the issuer's keys" in rotated_out[1]


def test_hrd_officers_sign_in_only_with_a_totp_code(servers: dict[str, str]) -> None:
    admin = officers.provisioning.Admin.sign_in(officers.state_dir())
    password = secrets.token_urlsafe(18)
    with_device, without = unique("hrd").lower(), unique("hrd").lower()
    secret = secrets.token_urlsafe(15)
    create = officers.provisioning.create_officer
    create(admin, with_device, "hrd", password=password, totp_secret=secret)
    create(admin, without, "hrd", password=password)
    code = pyotp.TOTP(officers.provisioning.totp_key(secret)).now()

    def sign_in(username: str, totp: str | None = None) -> str:
        try:
            signin.password_grant(officers.issuer(), "seva-cli", username, password, totp)
        except signin.SignInError as error:
            return str(error)
        return "signed in"

    # (the successful sign-in first: failures in quick succession lock an account a while)
    assert sign_in(with_device, code) == "signed in"
    assert "sign-in refused" in sign_in(with_device)  # no code
    assert "sign-in refused" in sign_in(without)  # no device set up yet: not by password
