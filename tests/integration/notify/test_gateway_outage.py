"""A gateway outage longer than the quick attempts: the send waits in MongoDB, not on
the partition, is retried with backoff while its code is valid and goes out once when
the gateway is back; a configured failover gateway takes over while the primary's
circuit is open, with its own DLT registration."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from contracts import topics
from notify.app import create_app
from tests.helpers import read_topic
from tests.integration.notify.conftest import CONTROL, NotifyHarness, notify_settings
from tests.integration.notify.test_sending import status_of


async def _sends(harness: NotifyHarness) -> Any:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(harness.settings.mongodb_uri)
    return client, client[harness.settings.mongodb_database]["sends"]


async def test_an_sms_waits_out_an_outage_without_holding_its_partition(
    harness: NotifyHarness,
) -> None:
    first = harness.request(mobile="9811100021")
    second = harness.request(mobile="9811100022")
    client, sends = await _sends(harness)
    app = create_app(harness.settings)
    async with app.router.lifespan_context(app):
        await harness.control(fail_status=503, fail_count=10_000)
        await harness.publish(first)
        await harness.publish(second)  # behind the first on the topic
        for request in (first, second):  # both committed and waiting: nothing holds them
            key = f"{request.challenge_id}:1"
            for _ in range(100):
                if await sends.find_one({"_id": key, "state": "retrying"}):
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"{key} never scheduled for a retry")
        await asyncio.sleep(1.5)  # the outage goes on; retries keep failing
        await harness.control()  # the gateway is back
        for request in (first, second):
            await read_topic(
                harness.kafka, topics.SMS_STATUS, status_of(request.challenge_id, "sent")
            )
    await client.close()

    for mobile in ("9811100021", "9811100022"):
        assert len((await harness.received(mobile))["messages"]) == 1


async def test_the_failover_gateway_takes_over_with_its_own_dlt_fields(
    kafka_bootstrap: str, mongodb_uri: str, gateway: str, second_gateway: str
) -> None:
    from tests.helpers import start_group_at_end

    settings = notify_settings(
        kafka_bootstrap,
        mongodb_uri,
        gateway,
        circuit_failures=2,
        circuit_open_seconds=60,
        failover_gateway_url=f"{second_gateway}/api/send",
        failover_gateway_username="backup",
        failover_gateway_password="backup-password",
        failover_sender_id="HRYSEV",
        failover_dlt_entity_id="1201000000000000009",
        failover_dlt_template_id_en="1207000000000000009",
        failover_dlt_template_id_hi="1207000000000000010",
    )
    await start_group_at_end(kafka_bootstrap, settings.consumer_group, topics.SMS_REQUESTS)
    harness = NotifyHarness(settings, gateway, kafka_bootstrap)
    request = harness.request(mobile="9811100023")
    async with httpx.AsyncClient() as http:
        await http.post(
            f"{gateway}/control", json={"fail_status": 503, "fail_count": 10_000}, headers=CONTROL
        )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await harness.publish(request)
        await read_topic(harness.kafka, topics.SMS_STATUS, status_of(request.challenge_id, "sent"))

    assert (await harness.received("9811100023"))["messages"] == []
    async with httpx.AsyncClient() as http:
        listed = await http.get(f"{second_gateway}/messages", headers=CONTROL)
        [message] = listed.json()["messages"]
    assert (message["senderid"], message["dlt_entity_id"], message["dlt_template_id"]) == (
        "HRYSEV",
        "1201000000000000009",
        "1207000000000000009",
    )
