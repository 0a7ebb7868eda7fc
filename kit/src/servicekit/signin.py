"""Signing an officer in at the OIDC provider from a command line: the password grant
(resource owner credentials, with a TOTP code where the provider asks for one) or the
device authorization grant (the officer opens a link in a browser). Plain OIDC: the
endpoints come from the issuer's discovery document."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

PASSWORD_GRANT = "password"  # noqa: S105 (the grant type, not a secret)
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


class SignInError(RuntimeError):
    """The provider refused the sign-in; the message says why."""


def discover(issuer: str) -> dict[str, Any]:
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    answer = httpx.get(url, timeout=10)
    answer.raise_for_status()
    document: dict[str, Any] = answer.json()
    return document


def _tokens(answer: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = answer.json() if answer.content else {}
    if answer.status_code != 200:
        why = body.get("error_description") or body.get("error") or answer.text[:200]
        raise SignInError(f"sign-in refused ({answer.status_code}): {why}")
    return body


def password_grant(
    issuer: str, client_id: str, username: str, password: str, totp: str | None = None
) -> dict[str, Any]:
    """The provider's token answer (access_token, expires_in, refresh_token, ...)."""
    form = {
        "grant_type": PASSWORD_GRANT,
        "client_id": client_id,
        "username": username,
        "password": password,
        "scope": "openid",
    }
    if totp:
        form["totp"] = totp
    endpoint = discover(issuer)["token_endpoint"]
    return _tokens(httpx.post(endpoint, data=form, timeout=30))


def refresh(issuer: str, client_id: str, refresh_token: str) -> dict[str, Any]:
    form = {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": refresh_token}
    return _tokens(httpx.post(discover(issuer)["token_endpoint"], data=form, timeout=30))


def device_grant(
    issuer: str,
    client_id: str,
    tell: Callable[[str], None],
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Ask for a device code, tell the officer where to approve it, poll until done."""
    document = discover(issuer)
    endpoint = document.get("device_authorization_endpoint")
    if not endpoint:
        raise SignInError(f"{issuer} offers no device authorization grant")
    start = httpx.post(endpoint, data={"client_id": client_id, "scope": "openid"}, timeout=30)
    grant = _tokens(start)
    link = grant.get("verification_uri_complete") or grant["verification_uri"]
    tell(f"open {link} and approve the code {grant['user_code']}")
    interval = float(grant.get("interval", 5))
    deadline = time.monotonic() + float(grant.get("expires_in", 600))
    while time.monotonic() < deadline:
        sleep(interval)
        answer = httpx.post(
            document["token_endpoint"],
            data={
                "grant_type": DEVICE_GRANT,
                "client_id": client_id,
                "device_code": grant["device_code"],
            },
            timeout=30,
        )
        error = answer.json().get("error") if answer.status_code != 200 else None
        if error == "authorization_pending":
            continue
        if error == "slow_down":
            interval += 5
            continue
        return _tokens(answer)
    raise SignInError("the device code expired before it was approved")
