"""A batch cannot be as of a time still to come: its version would outrank every later
record of its people for good. The push and the uploads refuse it naming `as_of`, and
publish nothing; a source clock a little ahead of ours is tolerated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from contracts import topics
from tests.factories import unique
from tests.factories.ingest import bearer
from tests.integration.ingest.test_push_and_links import ebilling_csv, hkrnl_record
from tests.integration.ingest.topic_reading import end_offsets, read_to_end

LATER = [
    datetime.now(UTC) + timedelta(days=1),
    datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    (datetime.now(UTC) + timedelta(hours=2)).replace(tzinfo=None),  # no zone: read as UTC
]


async def send(client: httpx.AsyncClient, path: str, as_of: str, code: str) -> httpx.Response:
    if path == "/v1/hkrnl/records":
        body = {"json": hkrnl_record(code, "AB12CD34", "9812345678")}
        return await client.post(path, **body, params={"as_of": as_of}, headers=bearer("hkrnl"))
    return await client.post(
        path,
        content=ebilling_csv(code, "AB12CD34", "9812345678"),
        params={"as_of": as_of},
        headers=bearer("ebilling"),
    )


@pytest.mark.parametrize("when", LATER, ids=["tomorrow", "year-9999", "no-zone"])
@pytest.mark.parametrize("path", ["/v1/hkrnl/records", "/v1/uploads/ebilling"])
async def test_a_batch_as_of_a_later_time_is_refused_naming_as_of(
    client: httpx.AsyncClient, kafka_bootstrap: str, path: str, when: datetime
) -> None:
    code = unique("FUT")
    start = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    response = await send(client, path, when.isoformat(), code)

    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail.startswith("as_of: ")
    assert "later than now" in detail
    marker = await send(client, path, (datetime.now(UTC) - timedelta(days=1)).isoformat(), code)
    assert marker.status_code == 200
    published = await read_to_end(
        kafka_bootstrap, topics.EMPLOYEE_RECORDS, lambda b: code in b["employee_id"], since=start
    )
    assert {e["batch_id"] for e in published} == {marker.json()["batch_id"]}


async def test_a_source_clock_a_minute_ahead_is_tolerated(client: httpx.AsyncClient) -> None:
    ahead = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    response = await send(client, "/v1/hkrnl/records", ahead, unique("SKEW"))
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
