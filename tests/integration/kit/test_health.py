"""/healthz, /readyz and /metrics on a service app, against the real servers and
against a MongoDB that does not answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from otp.app import create_app
from tests.integration.otp.conftest import otp_settings


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://otp") as client:
            yield client


async def test_ready_when_kafka_and_mongodb_answer(kafka_bootstrap: str, mongodb_uri: str) -> None:
    settings = otp_settings(kafka_bootstrap, mongodb_uri)
    async with running(create_app(settings)) as client:
        assert (await client.get("/healthz")).json() == {"status": "alive"}
        ready = await client.get("/readyz")
        metrics = await client.get("/metrics")

    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"kafka": "ok", "mongodb": "ok"}
    assert metrics.status_code == 200
    assert "text/plain" in metrics.headers["content-type"]


async def test_readyz_is_503_and_names_mongodb_when_it_does_not_answer(
    kafka_bootstrap: str,
) -> None:
    settings = otp_settings(
        kafka_bootstrap, "mongodb://127.0.0.1:9/?replicaSet=rs0&serverSelectionTimeoutMS=500"
    )
    async with running(create_app(settings)) as client:
        alive = await client.get("/healthz")
        ready = await client.get("/readyz")

    assert alive.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["mongodb"]
