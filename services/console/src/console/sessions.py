"""Server-side sessions: the browser holds only a signed, random session id.

The cookie is HttpOnly, SameSite=Lax and Secure when the console is served over HTTPS;
what a session holds (the officer's tokens, the language, the CSRF token, the sign-in
state) stays in the store on the server. `SessionMiddleware` puts the session's data in
`scope["session"]`, where Starlette's `request.session` (and Authlib) find it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from itsdangerous import BadSignature, Signer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "seva_console"
ROTATE = "_rotate"  # set by sign-in: the next response carries a new session id


class SessionStore(Protocol):
    """Where session data lives; an idle session is gone."""

    def load(self, sid: str) -> dict[str, Any] | None: ...
    def save(self, sid: str, data: dict[str, Any]) -> None: ...
    def delete(self, sid: str) -> None: ...


@dataclass
class MemorySessions:
    """Sessions in this process's memory: a restart signs everyone out, which a console
    may do (officers sign in again). Idle sessions are dropped after `idle_seconds`."""

    idle_seconds: float
    clock: Callable[[], float] = time.monotonic
    _data: dict[str, tuple[float, dict[str, Any]]] = field(default_factory=dict)

    def load(self, sid: str) -> dict[str, Any] | None:
        found = self._data.get(sid)
        if found is None:
            return None
        seen, data = found
        if self.clock() - seen > self.idle_seconds:
            del self._data[sid]
            return None
        return dict(data)

    def save(self, sid: str, data: dict[str, Any]) -> None:
        now = self.clock()
        self._data[sid] = (now, dict(data))
        if len(self._data) % 256 == 0:
            for key in [k for k, (seen, _) in self._data.items() if now - seen > self.idle_seconds]:
                del self._data[key]

    def delete(self, sid: str) -> None:
        self._data.pop(sid, None)


class SessionMiddleware:
    def __init__(self, app: ASGIApp, store: SessionStore, secret: str, secure: bool) -> None:
        self.app, self.store, self.secure = app, store, secure
        self.signer = Signer(secret, salt="seva-console-session")

    def _sid(self, scope: Scope) -> str | None:
        cookie = HTTPConnection(scope).cookies.get(COOKIE)
        if not cookie:
            return None
        try:
            return self.signer.unsign(cookie).decode()
        except BadSignature:
            return None

    def _cookie(self, sid: str | None) -> str:
        flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if self.secure else "")
        if sid is None:
            return f"{COOKIE}=; Max-Age=0{flags}"
        return f"{COOKIE}={self.signer.sign(sid).decode()}{flags}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sid = self._sid(scope)
        loaded = self.store.load(sid) if sid else None
        scope["session"] = dict(loaded or {})

        async def send_with_cookie(message: Message) -> None:
            nonlocal sid
            if message["type"] == "http.response.start":
                data: dict[str, Any] = scope["session"]
                cookie = None
                if data.pop(ROTATE, False) and sid:
                    self.store.delete(sid)
                    sid = None
                if data:
                    if sid is None or loaded is None:
                        sid = secrets.token_urlsafe(32)
                        cookie = self._cookie(sid)
                    self.store.save(sid, data)
                elif sid is not None:
                    self.store.delete(sid)
                    cookie = self._cookie(None)
                if cookie:
                    MutableHeaders(scope=message).append("Set-Cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)
