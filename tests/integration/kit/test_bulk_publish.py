"""Events handed to the producer in bulk (`servicekit.producing`) are the messages
`broker.publish` sends, byte for byte, and are counted as FastStream counts a publish."""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord
from prometheus_client import CollectorRegistry

from contracts import topics
from servicekit.messaging import make_broker, publish_event
from servicekit.producing import publish_events
from tests.factories import master_data, unique


async def _ends(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        partitions = consumer._client.cluster.partitions_for_topic(topic) or ()
        parts = [TopicPartition(topic, p) for p in partitions]
        return dict(await consumer.end_offsets(parts))
    finally:
        await consumer.stop()


async def _since(
    bootstrap: str, ends: dict[TopicPartition, int], correlation_id: str, count: int
) -> list[ConsumerRecord[bytes, bytes]]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    found: list[ConsumerRecord[bytes, bytes]] = []
    try:
        consumer.assign(list(ends))
        for partition, offset in ends.items():
            consumer.seek(partition, offset)
        for _ in range(60):
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                found += [
                    r for r in records if ("correlation_id", correlation_id.encode()) in r.headers
                ]
            if len(found) >= count:
                break
    finally:
        await consumer.stop()
    return found


def _published(registry: CollectorRegistry, topic: str) -> float:
    value = registry.get_sample_value(
        "faststream_published_messages_total",
        {"app_name": "kit-test", "broker": "kafka", "destination": topic, "status": "success"},
    )
    return value or 0.0


async def test_a_bulk_publish_sends_what_broker_publish_sends_and_counts_it(
    kafka_bootstrap: str,
) -> None:
    registry = CollectorRegistry()
    broker = make_broker(kafka_bootstrap, "kit-test", registry)
    correlation = unique("bulk")
    one = master_data(code=unique("A"), correlation_id=correlation)
    many = [master_data(code=unique("B"), correlation_id=correlation) for _ in range(3)]
    ends = await _ends(kafka_bootstrap, topics.MASTER_DATA)
    async with broker:
        await broker.start()
        await publish_event(broker, topics.MASTER_DATA, one)
        before = _published(registry, topics.MASTER_DATA)
        await publish_events(broker, topics.MASTER_DATA, many)
        after = _published(registry, topics.MASTER_DATA)

    records = await _since(kafka_bootstrap, ends, correlation, 4)
    by_value: dict[bytes, Any] = {r.value or b"": r for r in records}
    assert after - before == 3
    reference = by_value[one.model_dump_json().encode()]
    for event in many:
        record = by_value[event.model_dump_json().encode()]
        assert record.key == event.partition_key.encode()
        assert list(record.headers) == list(reference.headers)
