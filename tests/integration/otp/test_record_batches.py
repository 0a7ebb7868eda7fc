"""Employee records are applied in batches: records sent together fold in order per
employee, an older one after a newer one changes nothing, and a poison message among them
goes to the DLQ by itself while the records beside it are applied."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from contracts import topics
from tests.factories import unique
from tests.factories.otp import record
from tests.helpers import read_topic
from tests.integration.otp.conftest import OtpHarness


async def test_records_sent_together_fold_in_order_and_a_poison_is_dead_lettered_alone(
    otp: OtpHarness,
) -> None:
    first, second = unique("ebilling:E"), unique("ebilling:E")
    old = record(first, object_codes=("87",), source_version=10)
    new = record(first, object_codes=("69",), source_version=30)
    older = record(first, object_codes=("33",), source_version=20)  # arrives last, is stale
    other = record(second, source_version=10)
    key = unique("poison").encode()
    producer = AIOKafkaProducer(bootstrap_servers=otp.kafka, enable_idempotence=True)
    await producer.start()
    try:
        for value, partition_key in (
            (old.model_dump_json().encode(), first.encode()),
            (b'{"employee_id": 7', key),  # the DLQ letter is found by this key
            (new.model_dump_json().encode(), first.encode()),
            (older.model_dump_json().encode(), first.encode()),
            # same partition as the others: once it is applied, all before it are too
            (other.model_dump_json().encode(), first.encode()),
        ):
            await producer.send(topics.EMPLOYEE_RECORDS, value, key=partition_key)
        await producer.flush()
    finally:
        await producer.stop()

    assert (await otp.view(second))["record"]["source_version"] == 10
    view = await otp.view(first)
    assert view["record"]["source_version"] == 30
    assert view["decision"]["gate"] == {"open": True, "reasons": []}
    # One letter per OTP consumer group on the broker (another test's service may read the
    # topic too, and one fetch can hold both letters): each is the poison, and only it.
    letters = await read_topic(
        otp.kafka,
        topics.dlq(topics.EMPLOYEE_RECORDS),
        lambda m: m.get("source_key") == key.decode() and m.get("consumer") == "otp",
    )
    assert {(m["source_topic"], m["payload"]) for m in letters} == {
        (topics.EMPLOYEE_RECORDS, '{"employee_id": 7')
    }
    changes = await read_topic(
        otp.kafka,
        topics.ELIGIBILITY_CHANGES,
        lambda m: m.get("employee_id") == first,
    )
    assert changes[-1]["gate_open"] is True
