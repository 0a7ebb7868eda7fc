"""Limits before work: who may send a request, and how large its body may be, decided
before a byte of the body is read.

FastAPI reads (and parses) a route's body before it resolves the route's dependencies, so
a bearer-token dependency alone lets anyone make a service spool and parse a large body
before it answers 401, and answers malformed JSON with 422 before it asks for a token.
`RequestGuard` sits in front of the app: for a protected route it runs the service's own
authentication on the headers alone (the very function the route's dependency calls) and
answers 401 without reading the body; then it hands the request on with the route's byte
limit enforced while the body is read: 413 up front from a Content-Length past the limit,
else as soon as the bytes read pass it (the read raises, so nothing past the limit is
ever held).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from fastapi import HTTPException
from fastapi.security import HTTPAuthorizationCredentials
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Checks the headers of a request; raises HTTPException (401, 403) to refuse it.
Authenticate = Callable[[Headers], Awaitable[object]]
ANY = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def bearer(headers: Headers) -> HTTPAuthorizationCredentials | None:
    """The `Authorization: Bearer <token>` credentials, read as FastAPI's HTTPBearer does."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip())


@dataclass(frozen=True)
class Rule:
    """Requests with one of `methods` whose path fully matches `path` (a regex): the
    authentication they need (None: public) and the largest body they may carry."""

    path: str
    max_bytes: int
    authenticate: Authenticate | None = None
    methods: frozenset[str] = ANY
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", re.compile(self.path))

    def matches(self, method: str, path: str) -> bool:
        return method in self.methods and self.pattern.fullmatch(path) is not None


class RequestGuard:
    """ASGI middleware applying the first matching `Rule` (else `default_max_bytes`)."""

    def __init__(self, app: ASGIApp, rules: Sequence[Rule], default_max_bytes: int) -> None:
        self.app = app
        self.rules = tuple(rules)
        self.default = default_max_bytes

    def rule_for(self, method: str, path: str) -> Rule | None:
        return next((r for r in self.rules if r.matches(method, path)), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = self.rule_for(scope["method"], scope["path"])
        if rule is not None and rule.authenticate is not None:
            try:
                await rule.authenticate(Headers(scope=scope))
            except HTTPException as refused:
                headers = dict(refused.headers or {}) | {"Connection": "close"}
                response = JSONResponse(
                    {"detail": refused.detail}, refused.status_code, headers=headers
                )
                await response(scope, receive, send)  # the body is never read
                return
        limit = rule.max_bytes if rule is not None else self.default
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await JSONResponse({"detail": _too_large(limit)}, 413)(scope, receive, send)
            return
        await self.app(scope, _limited(receive, limit), send)


def _too_large(limit: int) -> str:
    return f"request body exceeds {limit} bytes, the limit of this route"


def _limited(receive: Receive, limit: int) -> Receive:
    """`receive` that raises 413 as soon as the body read passes `limit` bytes."""
    size = 0

    async def guarded() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise HTTPException(413, _too_large(limit))
        return message

    return guarded
