"""Hostile or contradictory input on the real Kafka and MongoDB: every row is accounted
for with a reason, every push and upload is reported, and nothing answers 500."""

from __future__ import annotations

from typing import Any

import httpx
from prometheus_client import CollectorRegistry

from contracts import topics
from ingest.adapters.kafka import KafkaPublisher
from servicekit.messaging import make_broker
from tests.factories import master_data, unique
from tests.factories.ingest import bearer
from tests.integration.ingest.test_push_and_links import hkrnl_record
from tests.integration.ingest.topic_reading import end_offsets, read_to_end


async def _rejections(client: httpx.AsyncClient, report: dict[str, Any]) -> list[dict[str, Any]]:
    response = await client.get(report["rejections_url"], headers=bearer(report["source"]))
    rejected: list[dict[str, Any]] = response.json()
    return rejected


async def test_three_rows_of_one_id_with_three_mobiles_keep_the_first_and_quarantine_two(
    client: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    ref = unique("HK")
    start = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    records = [hkrnl_record(ref, "AB12CD34", m) for m in ("9812345671", "9812345672", "98123")]
    twin = unique("HK")
    records += [hkrnl_record(twin, "AB12CD34", "9812345673")] * 2
    response = await client.post("/v1/hkrnl/records", json=records, headers=bearer("hkrnl"))

    report = response.json()
    assert response.status_code == 200
    assert (report["received"], report["accepted"], report["rejected"]) == (5, 3, 2)
    assert (report["published"], report["unchanged"], report["stale"]) == (2, 1, 0)
    rejected = await _rejections(client, report)
    assert [(r["row_number"], r["field"], r["employee_ref"]) for r in rejected] == [
        (2, "hkrnl_id", ref),
        (3, "hkrnl_id", ref),
    ]
    assert all("conflicting_duplicate: row 1 " in r["reason"] for r in rejected)
    assert rejected[0]["raw"]["mobile"].endswith("45672")
    published = await read_to_end(
        kafka_bootstrap,
        topics.EMPLOYEE_RECORDS,
        lambda b: b["employee_id"] == f"hkrnl:{ref}",
        since=start,
    )
    assert [e["mobile"] for e in published] == ["9812345671"]
    letters = await read_to_end(
        kafka_bootstrap,
        topics.dlq(topics.EMPLOYEE_RECORDS),
        lambda b: str(b.get("source_key", "")).startswith(report["batch_id"]),
    )
    assert sorted(letter["source_key"] for letter in letters) == [
        f"{report['batch_id']}:2",
        f"{report['batch_id']}:3",
    ]


async def test_a_one_and_a_half_megabyte_name_rejects_its_record_and_the_push_is_reported(
    client: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    good, huge = unique("HK"), unique("HK")
    records = [
        hkrnl_record(good, "AB12CD34", "9812345678"),
        hkrnl_record(huge, "AB12CD34", "9812345679") | {"name": "R" * 1_500_000},
    ]
    response = await client.post("/v1/hkrnl/records", json=records, headers=bearer("hkrnl"))

    assert response.status_code == 200
    report = response.json()
    assert (report["received"], report["accepted"], report["rejected"]) == (2, 1, 1)
    assert report["published"] == 1
    (rejected,) = await _rejections(client, report)
    assert (rejected["row_number"], rejected["field"], rejected["employee_ref"]) == (
        2,
        "name",
        huge,
    )
    assert rejected["reason"] == "name: is 1500000 characters long; at most 200"
    assert len(rejected["raw"]["name"]) < 300
    stored = await client.get(f"/v1/batches/{report['batch_id']}", headers=bearer("hkrnl"))
    assert stored.json() == report


async def test_kafka_refusing_a_record_for_its_size_is_a_refusal_not_an_error(
    kafka_bootstrap: str,
) -> None:
    broker = make_broker(kafka_bootstrap, unique("ingest"), CollectorRegistry())
    await broker.start()
    try:
        key = unique("ddo")
        small, large = (master_data(key, name=name) for name in ("fits", "x" * 2_000_000))
        refused = await KafkaPublisher(broker).publish(topics.MASTER_DATA, [small, large])
    finally:
        await broker.stop()
    assert [item.event for item in refused] == [large]
    assert "MessageSizeTooLargeError" in refused[0].reason
