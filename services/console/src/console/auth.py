"""Sign-in (OpenID Connect authorization code with PKCE, through Authlib), sign-out at the
provider too, the current officer, and the CSRF token every form carries.

The tokens stay in the server-side session; pages get an `Officer` whose `token` the API
clients send. An expired session (idle, or a token that can no longer be refreshed) sends
the browser to sign in and then back to the page it asked for.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import URL

from console.sessions import ROTATE
from console.settings import ConsoleSettings

ROLES = ("administrative_secretary", "hod", "ddo", "hrd")
ALIASES = {"admin_secretary": "administrative_secretary"}
REFRESH_MARGIN_SECONDS = 30
FRESH_SECONDS = 30


class SignInRequiredError(Exception):
    """No usable session: sign in, then come back to `next_path`."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass(frozen=True)
class Officer:
    sub: str
    name: str
    role: str
    offices: tuple[str, ...]
    department: str | None
    token: str

    @property
    def is_hrd(self) -> bool:
        return self.role == "hrd"


def claims_of(jwt_text: str) -> dict[str, Any]:
    """The payload of a JWT the provider just gave us over its back channel. Not a
    verification: the APIs verify every token; the console only reads whom to greet and
    which menu to show."""
    try:
        payload = jwt_text.split(".")[1]
        decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * 4))
    except (IndexError, ValueError):
        return {}
    return decoded


def profile(claims: dict[str, Any]) -> dict[str, Any]:
    """Role, offices and department from token claims, however the realm maps them: a
    `role` claim, a `roles` list or Keycloak's `realm_access.roles`."""
    candidates: list[str] = []
    if isinstance(claims.get("role"), str):
        candidates.append(claims["role"])
    for key in ("roles",):
        if isinstance(claims.get(key), list):
            candidates.extend(str(r) for r in claims[key])
    realm = claims.get("realm_access")
    if isinstance(realm, dict) and isinstance(realm.get("roles"), list):
        candidates.extend(str(r) for r in realm["roles"])
    roles = [ALIASES.get(r, r) for r in candidates]
    role = next((r for r in ROLES if r in roles), "")
    offices = claims.get("offices") or []
    if isinstance(offices, str):
        offices = [o.strip() for o in offices.replace(",", " ").split() if o.strip()]
    department = claims.get("department")
    if isinstance(department, list):
        department = department[0] if department else None
    name = claims.get("name") or claims.get("preferred_username") or str(claims.get("sub", ""))
    return {
        "sub": str(claims.get("sub", "")),
        "name": str(name),
        "role": role,
        "offices": sorted({str(o) for o in offices}),
        "department": str(department) if department else None,
    }


def safe_next(value: str | None) -> str:
    """Only a path of this site: never another host to be redirected to."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def check_csrf(request: Request) -> None:
    """Every POST carries the session's CSRF token in its form; otherwise 403."""
    form = await request.form()
    sent = form.get("csrf_token")
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "csrf")


class Auth:
    def __init__(self, settings: ConsoleSettings, http: httpx.AsyncClient) -> None:
        self.settings, self.http = settings, http
        self.oauth = OAuth()
        self.oauth.register(
            name="officer",
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value(),
            server_metadata_url=f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid profile", "code_challenge_method": "S256"},
        )
        self.client: Any = self.oauth.create_client("officer")

    async def metadata(self) -> dict[str, Any]:
        found: dict[str, Any] = await self.client.load_server_metadata()
        return found

    async def officer(self, request: Request) -> Officer:
        """The signed-in officer, their access token refreshed when it is about to expire."""
        session = request.session
        who, tokens = session.get("officer"), session.get("tokens")
        if not who or not tokens:
            raise SignInRequiredError(self.come_back_to(request))
        if tokens["expires_at"] - time.time() < REFRESH_MARGIN_SECONDS:
            tokens = await self._refresh(tokens)
            if tokens is None:
                self.forget(request)
                raise SignInRequiredError(self.come_back_to(request))
            session["tokens"] = tokens
        return Officer(token=tokens["access_token"], **who)

    @staticmethod
    def just_signed_in(request: Request) -> bool:
        """Tokens this fresh that an API refuses will not do better after signing in
        again: the page says so instead of sending the browser round in circles."""
        tokens = request.session.get("tokens") or {}
        return bool(time.time() - tokens.get("obtained_at", 0) < FRESH_SECONDS)

    def forget(self, request: Request) -> None:
        for key in ("officer", "tokens"):
            request.session.pop(key, None)

    @staticmethod
    def come_back_to(request: Request) -> str:
        if request.method == "GET":
            query = f"?{request.url.query}" if request.url.query else ""
            return f"{request.url.path}{query}"
        referer = request.headers.get("referer", "")
        url = URL(referer)
        same_site = url.netloc == request.url.netloc
        return safe_next(url.path) if referer and same_site else "/"

    async def _refresh(self, tokens: dict[str, Any]) -> dict[str, Any] | None:
        refresh = tokens.get("refresh_token")
        if not refresh:
            return None
        endpoint = (await self.metadata())["token_endpoint"]
        response = await self.http.post(
            endpoint,
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh,
                "client_id": self.settings.client_id,
                "client_secret": self.settings.client_secret.get_secret_value(),
            },
        )
        if response.status_code != 200:
            return None
        return self._kept(response.json(), previous=tokens)

    @staticmethod
    def _kept(token: dict[str, Any], previous: dict[str, Any] | None = None) -> dict[str, Any]:
        expires_at = token.get("expires_at") or time.time() + int(token.get("expires_in", 60))
        previous = previous or {}
        return {
            "access_token": token["access_token"],
            "refresh_token": token.get("refresh_token") or previous.get("refresh_token"),
            "id_token": token.get("id_token") or previous.get("id_token"),
            "expires_at": float(expires_at),
            "obtained_at": time.time(),
        }

    def router(self) -> APIRouter:
        router = APIRouter(tags=["sign-in"])
        public = self.settings.public_url.rstrip("/")

        @router.get("/login", include_in_schema=False)
        async def login(request: Request, next: str | None = None) -> Response:
            request.session["next"] = safe_next(next)
            lang = request.session.get("lang", "en")
            redirect: Response = await self.client.authorize_redirect(
                request, f"{public}/auth/callback", ui_locales=lang
            )
            return redirect

        @router.get("/auth/callback", include_in_schema=False)
        async def callback(request: Request) -> Response:
            try:
                token = await self.client.authorize_access_token(request)
            except OAuthError as error:
                raise HTTPException(401, f"sign-in failed: {error.error}") from error
            who = profile({**dict(token.get("userinfo") or {}), **claims_of(token["access_token"])})
            keep = {k: request.session.get(k) for k in ("lang", "next")}
            request.session.clear()
            request.session.update({k: v for k, v in keep.items() if v})
            request.session[ROTATE] = True
            request.session["officer"] = who
            request.session["tokens"] = self._kept(token)
            return RedirectResponse(safe_next(request.session.pop("next", "/")), 303)

        @router.get("/signed-out", include_in_schema=False)
        async def signed_out() -> Response:
            return RedirectResponse("/?signed_out=1", 303)

        return router

    async def sign_out(self, request: Request) -> Response:
        """Ends the session here and at the provider (its end_session_endpoint)."""
        tokens = request.session.get("tokens") or {}
        lang = request.session.get("lang")
        request.session.clear()
        if lang:
            request.session["lang"] = lang
        end = (await self.metadata()).get("end_session_endpoint")
        if not end:
            return RedirectResponse("/signed-out", 303)
        query = {
            "post_logout_redirect_uri": f"{self.settings.public_url.rstrip('/')}/signed-out",
            "client_id": self.settings.client_id,
        }
        if tokens.get("id_token"):
            query["id_token_hint"] = tokens["id_token"]
        return RedirectResponse(f"{end}?{urlencode(query)}", 303)
