"""The delivery policy every service inherits from servicekit, on the real broker:
a failing handler loses nothing, a poison message goes to the DLQ and does not stall.
Each test's group starts at the topic's end, so it meets only the events it publishes."""

from __future__ import annotations

from typing import Any

from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from contracts import topics
from contracts.ingest import MasterDataChanged
from servicekit.messaging import make_broker, subscription
from tests.factories import master_data, unique
from tests.helpers import eventually, produce, read_topic, start_group_at_end


def _broker(kafka_bootstrap: str) -> KafkaBroker:
    return make_broker(kafka_bootstrap, "kit-test", CollectorRegistry(), retry_backoff_seconds=0.1)


async def test_a_failing_handler_loses_nothing_the_message_is_redelivered_until_it_succeeds(
    kafka_bootstrap: str, mongo: AsyncMongoClient[dict[str, Any]]
) -> None:
    broker = _broker(kafka_bootstrap)
    collection = mongo[unique("kit")]["processed"]
    attempts: dict[str, int] = {}
    code = unique("DDO")

    group = unique("kit")
    await start_group_at_end(kafka_bootstrap, group, topics.MASTER_DATA)

    @broker.subscriber(topics.MASTER_DATA, **subscription(group))
    async def on_master_data(event: MasterDataChanged) -> None:
        if event.code != code:
            return
        attempts[code] = attempts.get(code, 0) + 1
        if attempts[code] < 3:
            raise ConnectionError("MongoDB is away (simulated)")
        await collection.update_one({"_id": code}, {"$inc": {"writes": 1}}, upsert=True)

    event = master_data(code=code)
    async with broker:
        await broker.start()
        await produce(kafka_bootstrap, topics.MASTER_DATA, event.model_dump_json().encode())
        stored = await eventually(lambda: collection.find_one({"_id": code}))

    assert attempts[code] == 3
    assert stored["writes"] == 1


async def test_a_message_that_can_never_parse_goes_to_the_dlq_and_the_next_one_is_processed(
    kafka_bootstrap: str,
) -> None:
    broker = _broker(kafka_bootstrap)
    seen: list[str] = []
    marker = unique("poison")
    good = master_data()

    group = unique("kit")
    await start_group_at_end(kafka_bootstrap, group, topics.MASTER_DATA)

    @broker.subscriber(topics.MASTER_DATA, **subscription(group))
    async def on_master_data(event: MasterDataChanged) -> None:
        seen.append(event.code)

    async with broker:
        await broker.start()
        key = marker.encode()
        await produce(kafka_bootstrap, topics.MASTER_DATA, b'{"entity_type": "ddo", "code": 7', key)
        await produce(kafka_bootstrap, topics.MASTER_DATA, b'{"entity_type": "planet"}', key)
        # Same key, same partition: the good event is handled only after both poisons.
        await produce(kafka_bootstrap, topics.MASTER_DATA, good.model_dump_json().encode(), key)
        await eventually(lambda: _async(good.code in seen))

    # At least once: a letter may be published twice, so look for each reason by itself;
    # other consumers of the shared topic (an OTP service under test) dead-letter the same
    # poison under their own name, so only this broker's letters count.
    dlq = topics.dlq(topics.MASTER_DATA)

    def mine(letter: dict[str, Any]) -> bool:
        return letter.get("source_key") == marker and letter.get("consumer") == "kit-test"

    [not_json] = await read_topic(
        kafka_bootstrap,
        dlq,
        lambda m: mine(m) and m["reason"].startswith("message is not"),
    )
    [invalid] = await read_topic(
        kafka_bootstrap,
        dlq,
        lambda m: mine(m) and m["reason"].startswith("producer: Field"),
    )
    for letter in (not_json, invalid):
        assert letter["source_topic"] == topics.MASTER_DATA
        assert letter["source_offset"] is not None
    assert not_json["reason"] == "message is not a JSON object of the expected event"
    assert invalid["reason"].startswith("producer: Field required; correlation_id: Field required")


async def _async(value: bool) -> bool:
    return value
