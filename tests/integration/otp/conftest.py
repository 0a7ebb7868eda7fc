"""The OTP service running on the real broker and mongod, with a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from contracts import topics
from contracts.envelope import Envelope
from contracts.ingest import EmployeeRecordReceived
from otp.app import create_app
from otp.settings import OtpSettings
from servicekit.sealing import unseal
from tests import officers
from tests.factories import unique
from tests.factories.otp import person
from tests.helpers import eventually, produce, read_topic, serving, start_group_at_end
from tests.pii_scan import PiiScan

PORTAL_TOKEN = "portal-token-for-tests"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class OtpHarness:
    client: httpx.AsyncClient
    settings: OtpSettings
    clock: Clock
    kafka: str
    db: Any
    scan: PiiScan | None = None

    async def publish(self, topic: str, event: Envelope) -> None:
        if self.scan is not None:
            fields = ("mobile", "family_id", "corrected_mobile", "corrected_family_id")
            self.scan.used(*(getattr(event, name, None) for name in fields))
        await produce(
            self.kafka, topic, event.model_dump_json().encode(), event.partition_key.encode()
        )

    async def viewed(self, **fields: Any) -> EmployeeRecordReceived:
        """A new employee (`person(**fields)`), once the service holds their view."""
        someone = person(**fields)
        await self.publish(topics.EMPLOYEE_RECORDS, someone)
        await self.view(someone.employee_id)
        return someone

    async def view(
        self,
        employee_id: str,
        version: int = 1,
        until: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any]:
        """The view once it reached `version` (and, with `until`, holds what it says: a
        portal refusal counted on the view makes a version of its own, at its own time)."""

        async def probe() -> dict[str, Any] | None:
            doc: dict[str, Any] | None = await self.db["views"].find_one({"_id": employee_id})
            if not doc or doc["view_version"] < version:
                return None
            return doc if until is None or until(doc) else None

        return await eventually(probe)

    async def request(self, family_id: str, mobile: str, **extra: str) -> httpx.Response:
        if self.scan is not None:
            self.scan.used(family_id, mobile)
        return await self.client.post(
            "/v1/otp/requests",
            json={"family_id": family_id, "mobile": mobile, **extra},
            headers={"Authorization": f"Bearer {PORTAL_TOKEN}"},
        )

    async def verify(self, challenge_id: str, code: str) -> httpx.Response:
        return await self.client.post(
            "/v1/otp/verifications",
            json={"challenge_id": challenge_id, "code": code},
            headers={"Authorization": f"Bearer {PORTAL_TOKEN}"},
        )

    async def code_sent(self, challenge_id: str, send_number: int = 1) -> str:
        [message] = await read_topic(
            self.kafka,
            topics.SMS_REQUESTS,
            lambda m: m.get("challenge_id") == challenge_id and m.get("send_number") == send_number,
        )
        code = unseal(self.settings.sms_seal_key.get_secret_value(), message["sealed_code"])
        if self.scan is not None:
            self.scan.saw_code(code)
        return code

    def officer(
        self, role: str, offices: list[str] | None = None, department: str | None = None
    ) -> dict[str, str]:
        """An officer signed in at the real identity provider."""
        return officers.bearer(role, *(offices or []), department=department)


INPUTS = (topics.EMPLOYEE_RECORDS, topics.CERTIFICATIONS, topics.MASTER_DATA, topics.SMS_STATUS)


async def start_at_end(settings: OtpSettings) -> None:
    for topic in INPUTS:
        await start_group_at_end(
            settings.kafka_bootstrap_servers, f"{settings.consumer_group}.{topic}", topic
        )


def otp_settings(kafka: str, mongodb: str, issuer: str | None = None) -> OtpSettings:
    return OtpSettings(
        **({"oidc_issuer": issuer} if issuer else {}),
        kafka_bootstrap_servers=kafka,
        mongodb_uri=mongodb,
        mongodb_database=unique("otp"),
        consumer_group=unique("otp"),
        hmac_key=SecretStr("hmac-key-for-tests"),
        portal_token=SecretStr(PORTAL_TOKEN),
        sms_seal_key=SecretStr(Fernet.generate_key().decode()),
        consumer_retry_backoff_seconds=0.1,
    )


@pytest.fixture(scope="module")
async def pii_scan(kafka_bootstrap: str, mongo: Any) -> AsyncIterator[PiiScan]:
    """After the module's tests: no Aadhaar-like number, clear code, or mobile or Family
    ID in a log or key, anywhere they left something (tests/pii_scan.py)."""
    scan = PiiScan(kafka_bootstrap, mongo)
    scan.start()
    yield scan
    await scan.finish()


@pytest.fixture
def otp_oidc_issuer(oidc_issuer: str) -> str:
    """The issuer the OTP service trusts (the session's provider; fuzz tests override it)."""
    return oidc_issuer


@pytest.fixture
async def otp(
    kafka_bootstrap: str, mongodb_uri: str, mongo: Any, otp_oidc_issuer: str, pii_scan: PiiScan
) -> AsyncIterator[OtpHarness]:
    settings = otp_settings(kafka_bootstrap, mongodb_uri, otp_oidc_issuer)
    pii_scan.watch(settings.mongodb_database)
    await start_at_end(settings)
    clock = Clock()
    app = create_app(settings, clock=clock)
    async with serving(app, "http://otp") as client:
        db = mongo[settings.mongodb_database]
        yield OtpHarness(client, settings, clock, kafka_bootstrap, db, pii_scan)
