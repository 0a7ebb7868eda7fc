"""Wiring of the console: the only place things are put together. It owns no data and
no Kafka topic: its readiness is the identity provider's and the two APIs'."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from prometheus_client import CollectorRegistry, Counter

from console.auth import Auth
from console.clients import Apis
from console.http import build_routes
from console.sessions import MemorySessions, SessionMiddleware
from console.settings import ConsoleSettings
from console.web import TEMPLATES, Pages, templates
from servicekit.health import Check, health_router

TITLE = "seva-suraksha console"


def _answers(client: httpx.AsyncClient, path: str) -> Check:
    async def check() -> None:
        response = await client.get(path)
        response.raise_for_status()

    return check


def create_app(settings: ConsoleSettings | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()
    timeout = httpx.Timeout(settings.api_timeout_seconds)
    certification = httpx.AsyncClient(base_url=settings.certification_url, timeout=timeout)
    otp = httpx.AsyncClient(base_url=settings.otp_url, timeout=timeout)
    provider = httpx.AsyncClient(timeout=timeout)
    registry = CollectorRegistry()
    pages_served = Counter(
        "console_responses", "Console responses by status class", ["status"], registry=registry
    )
    auth = Auth(settings, provider)
    pages = Pages(templates(), Apis(certification, otp), auth, settings.page_size)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            for client in (certification, otp, provider):
                await client.aclose()

    app = FastAPI(title=TITLE, version="1.0.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    issuer = settings.oidc_issuer.rstrip("/")
    checks: dict[str, Check] = {
        "identity_provider": _answers(provider, f"{issuer}/.well-known/openid-configuration"),
        "certification": _answers(certification, "/healthz"),
        "otp": _answers(otp, "/healthz"),
    }
    app.include_router(health_router(checks, registry))
    app.mount("/static", StaticFiles(directory=TEMPLATES.parent / "static"), name="static")
    build_routes(app, pages)

    @app.middleware("http")
    async def count(request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        pages_served.labels(f"{response.status_code // 100}xx").inc()
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    sessions = MemorySessions(idle_seconds=settings.session_idle_minutes * 60)
    app.add_middleware(
        SessionMiddleware,
        store=sessions,
        secret=settings.session_secret.get_secret_value(),
        secure=settings.public_url.startswith("https://"),
    )
    app.state.sessions = sessions
    return app
