"""Notify on the real broker and mongod, sending to the fake gateway served over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from cryptography.fernet import Fernet
from pydantic import SecretStr

from contracts import topics
from contracts.otp import SmsRequested
from notify.fakegateway.app import create_app as create_gateway
from notify.settings import NotifySettings
from servicekit.sealing import seal
from tests.factories import unique
from tests.helpers import eventually, free_port, produce, start_group_at_end

REPORT_TOKEN = "report-token-for-tests"
GATEWAY_TOKEN = "gateway-control-token-for-tests"
CONTROL = {"Authorization": f"Bearer {GATEWAY_TOKEN}"}


@pytest.fixture
async def gateway() -> AsyncIterator[str]:
    """The fake SMS gateway as a real HTTP server on a loopback port."""
    async with serving_gateway() as url:
        yield url


@pytest.fixture
async def second_gateway() -> AsyncIterator[str]:
    """Another fake gateway: the failover."""
    async with serving_gateway() as url:
        yield url


@asynccontextmanager
async def serving_gateway() -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_gateway(control_token=GATEWAY_TOKEN),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
    )
    task = asyncio.create_task(server.serve())
    await eventually(lambda: _started(server), timeout=10, interval=0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@dataclass
class NotifyHarness:
    settings: NotifySettings
    gateway: str
    kafka: str

    def request(
        self,
        *,
        locale: str = "en",
        expires_in: float = 600,
        code: str = "482913",
        mobile: str = "9876543210",
        send_number: int = 1,
    ) -> SmsRequested:
        challenge_id = unique("ch")
        now = datetime.now(UTC)
        return SmsRequested(
            challenge_id=challenge_id,
            send_number=send_number,
            mobile=mobile,
            sealed_code=seal(self.settings.sms_seal_key.get_secret_value(), code),
            locale=locale,
            expires_at=now + timedelta(seconds=expires_in),  # type: ignore[arg-type]
            producer="otp",
            correlation_id=challenge_id,
            partition_key=challenge_id,
            source_version=send_number,
            occurred_at=now,
        )

    async def publish(self, request: SmsRequested) -> None:
        await produce(
            self.kafka,
            topics.SMS_REQUESTS,
            request.model_dump_json().encode(),
            request.partition_key.encode(),
        )

    async def received(self, mobile: str | None = None) -> dict[str, Any]:
        async with httpx.AsyncClient() as client:
            params = {"mobile": mobile} if mobile else {}
            body: dict[str, Any] = (
                await client.get(f"{self.gateway}/messages", params=params, headers=CONTROL)
            ).json()
            return body

    async def control(self, **settings: Any) -> None:
        async with httpx.AsyncClient() as client:
            await client.post(f"{self.gateway}/control", json=settings, headers=CONTROL)


def notify_settings(kafka: str, mongodb: str, gateway: str, **overrides: Any) -> NotifySettings:
    values: dict[str, Any] = {
        "kafka_bootstrap_servers": kafka,
        "mongodb_uri": mongodb,
        "mongodb_database": unique("notify"),
        "consumer_group": unique("notify"),
        "sms_seal_key": SecretStr(Fernet.generate_key().decode()),
        "gateway_password": SecretStr("gateway-password"),
        "gateway_url": f"{gateway}/api/send",
        "delivery_report_token": SecretStr(REPORT_TOKEN),
        "retry_base_seconds": 0.01,
        "retry_cap_seconds": 0.05,
        "redelivery_base_seconds": 0.2,
        "redelivery_cap_seconds": 0.5,
        "redelivery_poll_seconds": 0.1,
        "gateway_timeout_seconds": 0.5,
        "consumer_retry_backoff_seconds": 0.1,
    }
    values.update(overrides)
    return NotifySettings(**values)


@pytest.fixture
async def harness(kafka_bootstrap: str, mongodb_uri: str, gateway: str) -> NotifyHarness:
    settings = notify_settings(kafka_bootstrap, mongodb_uri, gateway)
    await start_group_at_end(kafka_bootstrap, settings.consumer_group, topics.SMS_REQUESTS)
    return NotifyHarness(settings, gateway, kafka_bootstrap)


async def _started(server: uvicorn.Server) -> bool:
    return bool(server.started)
