"""A generated, mixed set of files through the running app, real Kafka and MongoDB:
counts match the manifest, nothing is lost, nothing is published twice or backwards."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from contracts import topics
from tests.factories.ingest import bearer
from tests.integration.ingest.generated import Generated, generated_files
from tests.integration.ingest.topic_reading import end_offsets, read_to_end

NEWER, OLDER = "2026-02-01T00:00:00+05:30", "2026-01-01T00:00:00+05:30"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generated_files(tmp_path_factory.mktemp("generated"))


async def upload(
    client: httpx.AsyncClient, source: str, path: Path, as_of: str = NEWER
) -> dict[str, Any]:
    response = await client.post(
        f"/v1/uploads/{source}",
        content=await asyncio.to_thread(path.read_bytes),
        params={"as_of": as_of, "file_name": path.name},
        headers=bearer(source),
    )
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def of_batch(batch_id: str) -> Any:
    return lambda body: body.get("correlation_id") == batch_id


def letters_of(batch_id: str) -> Any:
    return lambda body: str(body.get("source_key", "")).startswith(f"{batch_id}:")


@pytest.mark.parametrize("source", ["hkrnl", "ebilling"])
async def test_a_mixed_file_yields_the_manifests_counts_and_every_rejection_has_a_reason(
    client: httpx.AsyncClient, kafka_bootstrap: str, files: Generated, source: str
) -> None:
    start = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    report = await upload(client, source, files.path(source))

    received, accepted, rejected_rows, employees = files.expected(source)
    assert (report["received"], report["accepted"], report["rejected"]) == (
        received,
        accepted,
        rejected_rows,
    )
    assert report["received"] == report["accepted"] + report["rejected"]
    assert report["records"] == employees
    assert report["records"] == report["published"] + report["unchanged"] + report["stale"]
    published = await read_to_end(
        kafka_bootstrap, topics.EMPLOYEE_RECORDS, of_batch(report["batch_id"]), since=start
    )
    ids = [event["employee_id"] for event in published]
    assert len(ids) == len(set(ids)) == report["published"] > 0  # a duplicate row: once
    rejected = (await client.get(report["rejections_url"], headers=bearer(source))).json()
    assert len(rejected) == report["rejected"]
    assert all(row["reason"] and row["field"] and row["row_number"] >= 1 for row in rejected)
    letters = await read_to_end(
        kafka_bootstrap, topics.dlq(topics.EMPLOYEE_RECORDS), letters_of(report["batch_id"])
    )
    assert sorted(letter["source_key"] for letter in letters) == sorted(
        f"{report['batch_id']}:{row['row_number']}" for row in rejected
    )
    assert {letter["reason"] for letter in letters} == {row["reason"] for row in rejected}


async def test_re_sending_the_same_file_publishes_nothing_new(
    client: httpx.AsyncClient, kafka_bootstrap: str, files: Generated
) -> None:
    start = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    first = await upload(client, "ebilling", files.path("ebilling"))
    published = await read_to_end(
        kafka_bootstrap, topics.EMPLOYEE_RECORDS, of_batch(first["batch_id"]), since=start
    )
    keys = {event["employee_id"] for event in published}
    resent = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    again = await upload(client, "ebilling", files.path("ebilling"))
    later = await upload(client, "ebilling", files.path("ebilling"), "2026-03-01T00:00:00Z")

    assert first["published"] == first["records"] == len(keys) > 0
    for report in (again, later):
        assert (report["published"], report["unchanged"]) == (0, first["records"])
        assert report["rejected"] == first["rejected"]  # still reported, never lost
    new = await read_to_end(
        kafka_bootstrap, topics.EMPLOYEE_RECORDS, lambda b: b["employee_id"] in keys, since=resent
    )
    assert new == []


async def test_an_older_file_after_a_newer_one_is_ignored(
    client: httpx.AsyncClient, kafka_bootstrap: str, files: Generated
) -> None:
    start = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    newer = await upload(client, "hkrnl", files.path("hkrnl"), NEWER)
    published = await read_to_end(
        kafka_bootstrap, topics.EMPLOYEE_RECORDS, of_batch(newer["batch_id"]), since=start
    )
    keys = {event["employee_id"] for event in published}
    before_older = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    older = await upload(client, "hkrnl", files.altered("hkrnl"), OLDER)

    assert newer["published"] == len(keys) > 0
    assert older["published"] == 0
    assert older["stale"] > 0
    assert older["stale"] + older["unchanged"] == older["records"]
    seen = await read_to_end(
        kafka_bootstrap,
        topics.EMPLOYEE_RECORDS,
        lambda b: b["employee_id"] in keys,
        since=before_older,
    )
    assert seen == []


async def test_planted_missing_ddos_appear_in_the_completeness_report(
    client: httpx.AsyncClient, files: Generated
) -> None:
    await upload(client, "master", files.path("master"))
    for source in ("hkrnl", "ebilling"):
        await upload(client, source, files.path(source))

    response = await client.get("/v1/reports/completeness", headers=bearer("master"))

    gaps = {(g["entity_type"], g["code"]) for g in response.json()["gaps"]}
    planted = files.missing_ddos()
    assert planted
    assert {("ddo", code) for code in planted} <= gaps


async def test_no_aadhaar_like_value_reaches_kafka_or_mongodb(
    client: httpx.AsyncClient,
    kafka_bootstrap: str,
    db: AsyncDatabase[dict[str, Any]],
    files: Generated,
) -> None:
    planted = files.aadhaar_values()
    assert planted, "the generated files must carry Aadhaar-like values to look for"
    ours = (topics.EMPLOYEE_RECORDS, topics.MASTER_DATA)
    every = (*ours, *(topics.dlq(topic) for topic in ours))
    starts = {topic: await end_offsets(kafka_bootstrap, topic) for topic in every}
    reports = [await upload(client, s, files.path(s)) for s in ("hkrnl", "ebilling", "master")]
    assert all(r["dropped_columns"] for r in reports[:2])

    sent = [
        message
        for topic in every
        for message in await read_to_end(
            kafka_bootstrap, topic, lambda _: True, since=starts[topic]
        )
    ]
    stored = [doc for name in await db.list_collection_names() async for doc in db[name].find()]
    text = repr([sent, stored]).encode()
    assert not {value for value in planted if value in text}
    assert len(sent) >= sum(r["published"] + r["rejected"] for r in reports)
    assert stored
