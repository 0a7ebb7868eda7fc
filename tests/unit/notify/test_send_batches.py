"""A batch of SMS requests: one claim write for the lot, a request that is in the batch
twice is sent once and reported twice, a request already sent is reported and not sent,
and the batch returns only once every status it published is acknowledged."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet
from prometheus_client import CollectorRegistry, Counter
from pydantic import BaseModel, SecretStr

from contracts.otp import SmsRequested
from notify.metrics import NotifyMetrics
from notify.ports import Claim, GatewayResult, OutgoingSms, SendRecord, SendState
from notify.services import Deps, send_many
from notify.settings import NotifySettings
from servicekit.sealing import seal

KEY = Fernet.generate_key().decode()


class FakeSendLog:
    def __init__(self) -> None:
        self.records: dict[str, SendRecord] = {}
        self.claim_writes: list[list[str]] = []

    async def claim_many(self, claims: Sequence[Claim]) -> dict[str, SendRecord]:
        self.claim_writes.append([c.key for c in claims])
        for c in claims:
            self.records.setdefault(
                c.key, SendRecord(c.key, c.challenge_id, c.send_number, "sending")
            )
        return {c.key: self.records[c.key] for c in claims}

    async def finish(
        self, key: str, state: SendState, message_id: str | None, reason: str | None
    ) -> None:
        old = self.records[key]
        self.records[key] = SendRecord(key, old.challenge_id, old.send_number, state, message_id)

    def __getattr__(self, name: str) -> Any:  # schedule, take_due, ...: not reached here
        raise AssertionError(f"{name} was not expected")


class FakeGateway:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, sms: OutgoingSms) -> GatewayResult:
        self.sent.append(sms.client_ref)
        return GatewayResult(ok=True, message_id=f"m-{len(self.sent)}")


class SlowBroker:
    """Acknowledges each record a while after it was handed over."""

    def __init__(self) -> None:
        self.handed: list[tuple[str, BaseModel]] = []
        self.acknowledged = 0

    async def __call__(self, topic: str, event: BaseModel) -> Awaitable[object]:
        self.handed.append((topic, event))
        ack = asyncio.get_running_loop().create_future()

        def done() -> None:
            self.acknowledged += 1
            ack.set_result(None)

        asyncio.get_running_loop().call_later(0.02, done)
        return ack


def deps() -> tuple[Deps, FakeSendLog, FakeGateway, SlowBroker]:
    secret = SecretStr("x")
    settings = NotifySettings(
        sms_seal_key=SecretStr(KEY), gateway_password=secret, delivery_report_token=secret
    )  # type: ignore[call-arg]
    registry = CollectorRegistry()
    metrics = NotifyMetrics(
        registry, Counter("dead", "dead letters", ["a", "b", "c"], registry=registry)
    )
    sends, gateway, broker = FakeSendLog(), FakeGateway(), SlowBroker()
    return Deps(gateway, sends, broker, settings, metrics), sends, gateway, broker


def request(challenge: str, send_number: int = 1) -> SmsRequested:
    now = datetime.now(UTC)
    return SmsRequested(
        challenge_id=challenge,
        send_number=send_number,
        mobile="9876543210",
        sealed_code=seal(KEY, "482913"),
        locale="en",
        expires_at=now + timedelta(minutes=10),  # type: ignore[arg-type]
        producer="otp",
        correlation_id=challenge,
        partition_key=challenge,
        source_version=send_number,
        occurred_at=now,
    )


def states(broker: SlowBroker) -> list[tuple[str, str]]:
    return sorted(
        (f"{e.challenge_id}:{e.send_number}", e.state)  # type: ignore[attr-defined]
        for _, e in broker.handed
    )


async def test_a_batch_is_claimed_in_one_write_and_its_duplicates_are_sent_once() -> None:
    wired, sends, gateway, broker = deps()
    batch = [request("a"), request("b"), request("a"), request("a", 2), request("b")]
    await send_many(wired, batch)
    assert sends.claim_writes == [["a:1", "b:1", "a:2"]]
    assert sorted(gateway.sent) == ["a:1", "a:2", "b:1"]
    assert gateway.sent.index("a:2") > gateway.sent.index("a:1")
    assert states(broker) == [
        ("a:1", "sent"),
        ("a:1", "sent"),
        ("a:2", "sent"),
        ("b:1", "sent"),
        ("b:1", "sent"),
    ]
    assert broker.acknowledged == len(broker.handed), "returned before the broker acknowledged"


async def test_a_batch_redelivered_after_its_sends_reports_them_again_and_sends_nothing() -> None:
    wired, sends, gateway, broker = deps()
    batch = [request("a"), request("b")]
    await send_many(wired, batch)
    await send_many(wired, batch)
    assert sorted(gateway.sent) == ["a:1", "b:1"]
    assert states(broker) == [("a:1", "sent")] * 2 + [("b:1", "sent")] * 2
    assert len(sends.claim_writes) == 2
