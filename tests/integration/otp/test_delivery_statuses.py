"""Delivery statuses from notify, taken in batches: the newest of a challenge wins in any
order, a status whose version MongoDB cannot hold is dead-lettered alone instead of
stalling its batch, and statuses that trickle in are fetched once a linger (on the real
broker and mongod)."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.consumer.fetcher import Fetcher

from contracts import topics
from contracts.notify import SmsStatusReported
from otp.app import create_app
from tests.factories.otp import sms_status
from tests.helpers import eventually, produce, read_topic, serving
from tests.integration.otp.conftest import OtpHarness, otp_settings, start_at_end


def status(challenge_id: str, state: str, version: int, otp: OtpHarness) -> SmsStatusReported:
    return sms_status(challenge_id, state, version, otp.clock())


async def test_the_newest_status_wins_and_an_unstorable_version_is_dead_lettered(
    otp: OtpHarness,
) -> None:
    # A challenge of this test alone (no SMS request, so no notify anywhere answers it).
    challenge_id = uuid.uuid4().hex
    now = otp.clock()
    await otp.db["challenges"].insert_one(
        {
            "_id": challenge_id,
            "challenge_id": challenge_id,
            "employee_id": f"E-{challenge_id[:8]}",
            "client": "hkcl-portal",
            "code_hash": "0" * 64,
            "created_at": now,
            "expires_at": now + timedelta(minutes=10),
            "delivery": "queued",
            "delivery_version": 0,
        }
    )
    poison = status(challenge_id, "failed", 1, otp).model_dump_json()
    poison = poison.replace('"source_version":1', f'"source_version":{2**64}')
    await produce(otp.kafka, topics.SMS_STATUS, poison.encode(), challenge_id.encode())
    for state, version in (("delivered", 3), ("sent", 2)):  # out of order
        await otp.publish(topics.SMS_STATUS, status(challenge_id, state, version, otp))

    async def delivered() -> bool:
        doc = await otp.db["challenges"].find_one({"_id": challenge_id})
        return doc is not None and (doc["delivery"], doc["delivery_version"]) == ("delivered", 3)

    await eventually(delivered)
    # (OTP services of other stacks on a shared broker may letter it too, for their reason)
    await read_topic(
        otp.kafka,
        topics.dlq(topics.SMS_STATUS),
        lambda m: (
            m.get("source_key") == challenge_id
            and m.get("consumer") == "otp"
            and m.get("field") == "source_version"
        ),
    )


async def test_statuses_that_trickle_in_are_fetched_once_a_linger(
    kafka_bootstrap: str, mongodb_uri: str, mongo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst's statuses arrive a few milliseconds apart. The broker holds the service's
    fetch until `status_linger_ms` has passed (or 64 KiB are there), so the consumer makes
    about one fetch, one batch and one bulk write per linger, not a fetch for every status
    or two that had arrived since the last one."""
    linger = 250
    settings = otp_settings(kafka_bootstrap, mongodb_uri).model_copy(
        update={"status_linger_ms": linger}
    )
    await start_at_end(settings)
    app = create_app(settings)
    ids = [uuid.uuid4().hex for _ in range(20)]
    db = mongo[settings.mongodb_database]
    await db["challenges"].insert_many([{"_id": i, "delivery_version": 0} for i in ids])
    fetches: list[float] = []
    fetch = Fetcher._proc_fetch_request

    async def counted(self: Fetcher, assignment: Any, node_id: int, request: Any) -> Any:
        if any(topic == topics.SMS_STATUS for topic, _ in request.topics):
            fetches.append(time.monotonic())
        return await fetch(self, assignment, node_id, request)

    monkeypatch.setattr(Fetcher, "_proc_fetch_request", counted)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, enable_idempotence=True)
    async with serving(app, "http://otp"):
        await producer.start()
        try:
            await asyncio.sleep(1)  # the consumer has joined its group
            started = time.monotonic()
            for challenge_id in ids:
                body = sms_status(challenge_id, "sent", 1, datetime.now(UTC)).model_dump_json()
                await producer.send_and_wait(
                    topics.SMS_STATUS, body.encode(), key=challenge_id.encode()
                )
                await asyncio.sleep(0.01)
        finally:
            await producer.stop()

        async def all_sent() -> bool:
            return await db["challenges"].count_documents({"delivery": "sent"}) == len(ids)

        await eventually(all_sent)
        ended = time.monotonic()

    during = [at for at in fetches if started <= at <= ended]
    assert len(during) <= (ended - started) / (linger / 1000) + 2, (len(during), ended - started)
