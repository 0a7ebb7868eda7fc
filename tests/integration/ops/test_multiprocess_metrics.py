"""The OTP service with two worker processes (`OTP_HTTP_WORKERS=2`) runs prometheus-client's
multiprocess mode: whichever worker answers /metrics counts the requests of both."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from cryptography.fernet import Fernet

from otp.settings import OtpSettings
from tests.helpers import free_port
from tests.integration.ops.observability import ROOT
from tests.integration.ops.scraped import samples
from tests.integration.otp.conftest import otp_settings, start_at_end
from tests.stack import DEV_SECRETS

REQUESTS = 24


@pytest.fixture
async def settings(kafka_bootstrap: str, mongodb_uri: str) -> OtpSettings:
    settings = otp_settings(kafka_bootstrap, mongodb_uri)
    await start_at_end(settings)  # the new groups start at the end, not at every old event
    return settings


@pytest.fixture
def two_workers(settings: OtpSettings, kafka_bootstrap: str, mongodb_uri: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        **{name: Fernet.generate_key().decode() for name in DEV_SECRETS},
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "MONGODB_URI": mongodb_uri,
        "OTP_HTTP_PORT": str(port),
        "OTP_HTTP_WORKERS": "2",
        "OTP_MONGODB_DATABASE": settings.mongodb_database,
        "OTP_CONSUMER_GROUP": settings.consumer_group,
        "OTP_PORTAL_TOKEN": "portal-token-of-the-worker-test",
        "OTP_LOG_LEVEL": "WARNING",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "otp"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the OTP service did not come up"
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_every_worker_s_requests_are_on_the_metrics_page(two_workers: str) -> None:
    for number in range(REQUESTS):
        with httpx.Client(base_url=two_workers, timeout=10) as client:  # a new connection
            client.post(
                "/v1/otp/requests",
                json={"family_id": f"ZZZZ{number:04d}", "mobile": "9876543210"},
                headers={"Authorization": "Bearer portal-token-of-the-worker-test"},
            )
    for _ in range(6):  # several scrapes, likely answered by both workers: each sees all
        with httpx.Client(base_url=two_workers, timeout=10) as client:
            page = client.get("/metrics").text
        counted = sum(
            value
            for name, value in samples(page, "seva_http_request_duration_seconds_count").items()
            if 'route="/v1/otp/requests"' in name
        )
        assert counted == REQUESTS
        requests = sum(samples(page, "otp_requests_total").values())
        assert requests == REQUESTS
