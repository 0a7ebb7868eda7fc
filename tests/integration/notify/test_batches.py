"""SMS requests are taken in batches and sent concurrently: each request of a burst is
sent exactly once, and a challenge's re-send goes out after its first send."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient

from contracts import topics
from contracts.otp import SmsRequested
from notify import services
from notify.app import create_app
from tests.helpers import read_topic
from tests.integration.notify.conftest import NotifyHarness


async def test_a_burst_is_sent_once_each_and_a_challenge_s_sends_go_out_in_order(
    harness: NotifyHarness,
) -> None:
    burst = [harness.request(mobile=f"98222{i:05d}") for i in range(30)]
    first = harness.request(mobile="9822299999")
    resend = first.model_copy(update={"send_number": 2, "source_version": 2})
    producer = AIOKafkaProducer(bootstrap_servers=harness.kafka, enable_idempotence=True)
    await producer.start()
    try:
        for request in [first, *burst, resend]:
            body, key = request.model_dump_json().encode(), request.partition_key.encode()
            await producer.send(topics.SMS_REQUESTS, body, key=key)
        await producer.flush()
    finally:
        await producer.stop()

    challenges = {r.challenge_id for r in burst} | {first.challenge_id}
    app = create_app(harness.settings)
    async with app.router.lifespan_context(app):
        await read_topic(
            harness.kafka,
            topics.SMS_STATUS,
            lambda m: m.get("challenge_id") in challenges and m.get("state") == "sent",
            count=len(burst) + 2,
        )

    sent = [m["msgid"] for m in (await harness.received())["messages"]]
    ours = [msgid for msgid in sent if msgid.split(":")[0] in challenges]
    assert sorted(ours) == sorted(
        [f"{r.challenge_id}:1" for r in burst]
        + [f"{first.challenge_id}:1", f"{first.challenge_id}:2"]
    )
    assert ours.index(f"{first.challenge_id}:2") > ours.index(f"{first.challenge_id}:1")


async def test_a_batch_with_duplicates_sends_each_once_and_publishes_every_status(
    harness: NotifyHarness, mongodb_uri: str
) -> None:
    unique = [harness.request(mobile=f"98333{i:05d}") for i in range(40)]
    batch = [*unique, *unique[:15], *unique[30:]]  # redelivered ones, in the same batch
    producer = AIOKafkaProducer(bootstrap_servers=harness.kafka, enable_idempotence=True)
    await producer.start()
    try:
        for request in batch:
            body, key = request.model_dump_json().encode(), request.partition_key.encode()
            await producer.send(topics.SMS_REQUESTS, body, key=key)
        await producer.flush()
    finally:
        await producer.stop()

    challenges = {r.challenge_id for r in unique}
    app = create_app(harness.settings)
    async with app.router.lifespan_context(app):
        statuses = await read_topic(
            harness.kafka,
            topics.SMS_STATUS,
            # (the topic is shared: a notify of another test, with another seal key,
            # reports these requests as failed; only this one can send them)
            lambda m: m.get("challenge_id") in challenges and m.get("state") == "sent",
            count=len(batch),
        )

    per_challenge = Counter(s["challenge_id"] for s in statuses)
    assert per_challenge == Counter(r.challenge_id for r in batch), "a status for every request"
    got = await harness.received()
    ours = [m for m in got["messages"] if m["msgid"].split(":")[0] in challenges]
    assert sorted(m["msgid"] for m in ours) == sorted(f"{c}:1" for c in challenges)
    assert all(m["repeated"] == 0 for m in ours), "the gateway was asked twice"
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri)
    try:
        sends = client[harness.settings.mongodb_database]["sends"]
        # (only ours: requests another suite publishes on the shared topic meanwhile are
        # taken too, and fail under this notify's seal key)
        ours_only = {"challenge_id": {"$in": sorted(challenges)}}
        recorded = {d["_id"]: d["state"] async for d in sends.find(ours_only)}
    finally:
        await client.close()
    assert recorded == {f"{c}:1": "sent" for c in challenges}


async def test_requests_trickling_in_are_taken_a_batch_at_a_time_not_one_a_fetch(
    harness: NotifyHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst as the OTP service makes it, a request every few milliseconds, each in a
    produce request of its own: the broker holds notify's fetches for the linger, so the
    requests reach the handler in a few batches instead of one or two a fetch."""
    sizes: list[int] = []
    ours: set[str] = set()
    send_many = services.send_many

    async def counted(deps: services.Deps, requests: Sequence[SmsRequested]) -> None:
        if mine := [r for r in requests if r.challenge_id in ours]:
            sizes.append(len(mine))
        await send_many(deps, requests)

    monkeypatch.setattr(services, "send_many", counted)
    settings = harness.settings.model_copy(update={"send_linger_ms": 250})
    warm_up = harness.request(mobile="9822400000")
    trickle = [harness.request(mobile=f"98224{i:05d}") for i in range(1, 41)]
    ours.update(r.challenge_id for r in trickle)
    app = create_app(settings)
    producer = AIOKafkaProducer(bootstrap_servers=harness.kafka, enable_idempotence=True)
    async with app.router.lifespan_context(app):
        await producer.start()
        try:
            await harness.publish(warm_up)  # the consumer has joined once this is sent
            await read_topic(
                harness.kafka,
                topics.SMS_STATUS,
                lambda m: m.get("challenge_id") == warm_up.challenge_id,
            )
            for request in trickle:
                body, key = request.model_dump_json().encode(), request.partition_key.encode()
                await producer.send_and_wait(topics.SMS_REQUESTS, body, key=key)
                await asyncio.sleep(0.01)
        finally:
            await producer.stop()
        await read_topic(
            harness.kafka,
            topics.SMS_STATUS,
            lambda m: m.get("challenge_id") in ours and m.get("state") == "sent",
            count=len(trickle),
        )
    assert sum(sizes) == len(trickle)
    assert len(sizes) <= len(trickle) // 5, sizes
