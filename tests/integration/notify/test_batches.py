"""SMS requests are taken in batches and sent concurrently: each request of a burst is
sent exactly once, and a challenge's re-send goes out after its first send."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

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
