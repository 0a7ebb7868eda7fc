"""Every metric the alert rules and Grafana panels query is on a running service's
/metrics: the OTP service runs on the real Kafka and MongoDB and answers one OTP request
first, so its labelled series exist; the other services' apps are asked for their page."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI

from otp.app import create_app
from tests.helpers import serving
from tests.integration.ops.observability import (
    exported,
    matched_labels,
    owner,
    promtool,
    queried_metrics,
    queries,
)
from tests.integration.otp.conftest import PORTAL_TOKEN, otp_settings
from tests.stack import DEV_SECRETS

OTHER_SERVICES = ("ingest", "certification", "notify")


async def _metrics_page(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    return response.text


async def _page_after_a_refusal(client: httpx.AsyncClient) -> str:
    """The OTP service's page once it has refused one request, so its labelled series
    exist."""
    refused = await client.post(
        "/v1/otp/requests",
        json={"family_id": "ZZZZ9999", "mobile": "9876543210"},
        headers={"Authorization": f"Bearer {PORTAL_TOKEN}"},
    )
    assert refused.status_code != 202, refused.text
    return await _metrics_page(client)


@pytest.fixture
async def otp_client(kafka_bootstrap: str, mongodb_uri: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(otp_settings(kafka_bootstrap, mongodb_uri))
    async with serving(app, "http://otp") as client:
        yield client


@pytest.fixture
def placeholder_secrets(monkeypatch: pytest.MonkeyPatch, kafka_bootstrap: str) -> None:
    """Each service builds its app from the environment, as `python -m <svc>` does."""
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    for name in DEV_SECRETS:
        monkeypatch.setenv(name, Fernet.generate_key().decode())


def _missing(owned_by: str, page: str) -> dict[str, set[str]]:
    """Queried metrics owned by a service that its page lacks, with where they are used."""
    names = exported(page)
    return {
        metric: where
        for metric, where in queried_metrics().items()
        if owner(metric) == owned_by and metric not in names
    }


async def test_every_queried_otp_and_message_metric_is_on_the_running_otp_service(
    otp_client: httpx.AsyncClient,
) -> None:
    page = await _page_after_a_refusal(otp_client)

    missing = _missing("otp", page)
    assert not missing, f"queried but not exported by the OTP service: {missing}"
    assert "otp_requests_total" in queried_metrics()
    assert exported(page)["otp_requests_total"] == {"outcome"}


async def test_label_filters_in_the_queries_name_labels_the_otp_service_sets(
    otp_client: httpx.AsyncClient,
) -> None:
    names = exported(await _page_after_a_refusal(otp_client))
    unknown = {
        (metric, label, where)
        for where, expr in queries().items()
        for metric, label in matched_labels(expr)
        if names.get(metric) and label not in names[metric]
    }
    assert not unknown, f"queries filter on labels the series do not carry: {unknown}"


async def test_promtool_accepts_the_running_otp_services_metrics_page(
    otp_client: httpx.AsyncClient,
) -> None:
    page = await _page_after_a_refusal(otp_client)
    result = subprocess.run(
        [promtool(), "check", "metrics"], input=page, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.usefixtures("placeholder_secrets")
async def test_the_other_services_export_what_is_queried_of_them() -> None:
    problems: dict[str, Any] = {}
    for service in OTHER_SERVICES:
        app: FastAPI = importlib.import_module(f"{service}.app").create_app()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as client:
            missing = _missing(service, await _metrics_page(client))
        if missing:
            problems[service] = sorted(missing)
    assert not problems, f"queried metrics these services do not export: {problems}"
