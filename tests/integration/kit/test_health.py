"""/healthz, /readyz and /metrics on a service app, against the real servers and
against a MongoDB that does not answer."""

from __future__ import annotations

from otp.app import create_app
from tests.helpers import serving
from tests.integration.otp.conftest import otp_settings


async def test_ready_when_kafka_and_mongodb_answer(kafka_bootstrap: str, mongodb_uri: str) -> None:
    settings = otp_settings(kafka_bootstrap, mongodb_uri)
    async with serving(create_app(settings), "http://otp") as client:
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
    async with serving(create_app(settings), "http://otp") as client:
        alive = await client.get("/healthz")
        ready = await client.get("/readyz")

    assert alive.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["mongodb"]
