"""SMS requests are taken in batches and sent concurrently: each request of a burst is
sent exactly once, and a challenge's re-send goes out after its first send."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient

from contracts import topics
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
        recorded = {d["_id"]: d["state"] async for d in sends.find({})}
    finally:
        await client.close()
    assert recorded == {f"{c}:1": "sent" for c in challenges}
