"""Officers signed in at the session's real identity provider (the local Keycloak that
deploy/local/servers.py runs): users created through Keycloak's admin REST API
(deploy/local/officers.py), tokens from its token endpoint by the password grant (with
the current TOTP code for HRD officers). One user per (role, offices, department) and
process, its token reused until shortly before it expires."""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pyotp

from servicekit import signin
from servicekit.settings import local_oidc_issuer
from tests.factories import unique

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ROOT / "deploy" / "local"
CLIENT_ID = "seva-cli"


def _load(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, LOCAL / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_load("processes")  # what keycloak.py imports beside it
keycloak = _load("keycloak")
provisioning = _load("officers")


def issuer() -> str:
    return os.environ.get("SEVA_OIDC_ISSUER") or local_oidc_issuer()


def state_dir() -> Path:
    return Path(os.environ.get("SEVA_STATE_DIR", ROOT / ".local"))


@dataclass
class Officer:
    username: str
    password: str
    totp_key: str | None
    user_id: str
    token: str = ""
    expires_at: float = 0.0

    def sign_in(self) -> str:
        code = pyotp.TOTP(self.totp_key).now() if self.totp_key else None
        answer = signin.password_grant(issuer(), CLIENT_ID, self.username, self.password, code)
        self.token = answer["access_token"]
        self.expires_at = time.time() + float(answer["expires_in"])
        return self.token


_admin: list[object] = []
_officers: dict[tuple[str, tuple[str, ...], str | None], Officer] = {}


def admin() -> object:
    if not _admin:
        _admin.append(provisioning.Admin.sign_in(state_dir()))
    return _admin[0]


def new_officer(role: str, offices: tuple[str, ...] = (), department: str | None = None) -> Officer:
    """A fresh user of the realm with this role and these attributes."""
    username = unique(role.replace("_", "-")).lower()
    password = secrets.token_urlsafe(18)
    secret = secrets.token_urlsafe(15) if role == "hrd" else None
    try:
        user_id = provisioning.create_officer(
            admin(),
            username,
            role,
            password=password,
            offices=offices,
            department=department,
            totp_secret=secret,
        )
    except Exception:
        _admin.clear()  # the admin token may have expired: sign in again, once
        user_id = provisioning.create_officer(
            admin(),
            username,
            role,
            password=password,
            offices=offices,
            department=department,
            totp_secret=secret,
        )
    key = provisioning.totp_key(secret) if secret else None
    return Officer(username, password, key, user_id)


def token(role: str, *offices: str, department: str | None = None) -> str:
    """A current access token of an officer with this role and scope."""
    key = (role, tuple(sorted(offices)), department)
    officer = _officers.get(key)
    if officer is None:
        officer = _officers[key] = new_officer(role, key[1], department)
    if officer.expires_at - time.time() < 120:
        officer.sign_in()
    return officer.token


def bearer(role: str, *offices: str, department: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, *offices, department=department)}"}
