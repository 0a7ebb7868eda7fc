"""Hostile or contradictory input on the real Kafka and MongoDB: every row is accounted
for with a reason, every push and upload is reported, and nothing answers 500."""

from __future__ import annotations

from typing import Any

import httpx

from contracts import topics
from tests.factories import unique
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
