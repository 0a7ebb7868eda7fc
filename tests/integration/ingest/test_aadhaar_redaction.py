"""Aadhaar-like numbers inside any text of any source row are redacted before anything
is stored or published: not in ingest's collections, its quarantine, employee-records.v1,
master-data.v1 or their dead-letter topics. (That a 12-digit number failing the Verhoeff
check is carried as sent is shown by the unit tests: none is left on the shared topics,
so that the suite's PII scans, which look for the shape, stay meaningful.)"""

from __future__ import annotations

import json
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from contracts import topics
from servicekit.aadhaar import REDACTED
from tests.factories import unique
from tests.factories.aadhaar import grouped, valid_aadhaar, without_digests
from tests.factories.ingest import bearer
from tests.integration.ingest.test_push_and_links import ebilling_csv, hkrnl_record
from tests.integration.ingest.topic_reading import end_offsets, read_to_end
from tests.pii_scan import aadhaar_like

OURS = (topics.EMPLOYEE_RECORDS, topics.MASTER_DATA)
EVERY = (*OURS, *(topics.dlq(topic) for topic in OURS))


def _forms(number: str) -> list[str]:
    return [number, grouped(number), grouped(number, "-")]


async def _everything(
    kafka: str, db: AsyncDatabase[dict[str, Any]], starts: dict[str, Any], batches: set[str]
) -> tuple[str, str]:
    """What this test's batches put on every topic, and every document of the database."""

    def ours(body: dict[str, Any]) -> bool:
        text = json.dumps(body, ensure_ascii=False)
        return any(batch in text for batch in batches)

    sent = [m for t in EVERY for m in await read_to_end(kafka, t, ours, since=starts[t])]
    stored = [doc for name in await db.list_collection_names() async for doc in db[name].find()]
    return json.dumps(without_digests(sent), ensure_ascii=False), repr(without_digests(stored))


async def test_numbers_in_every_text_field_are_redacted_everywhere_and_counted(
    client: httpx.AsyncClient, kafka_bootstrap: str, db: AsyncDatabase[dict[str, Any]]
) -> None:
    seed = unique("aadhaar")
    name, district, remark, rejected, master = (valid_aadhaar(f"{seed}{i}") for i in range(5))
    starts = {topic: await end_offsets(kafka_bootstrap, topic) for topic in EVERY}

    good = hkrnl_record(unique("HK"), "AB12CD34", "9812345678") | {
        "name": f"Ramesh {name}",
        "district": f"Aadhaar {grouped(district)}",
        "remarks": f"uid {remark}",
    }
    bad = hkrnl_record(unique("HK"), "AB12CD34", "9812345679") | {
        "name": f"Suresh {grouped(rejected, '-')}",
        "date_of_birth": "not a date",
    }
    pushed = await client.post("/v1/hkrnl/records", json=[good, bad], headers=bearer("hkrnl"))
    code = unique("EB")
    ebill = ebilling_csv(code, "AB12CD34", "9812345678").replace(b"Hisar", f"Hisar {name}".encode())
    uploaded = await client.post(
        "/v1/uploads/ebilling",
        content=ebill,
        params={"file_name": f"tna-{district}.csv"},
        headers=bearer("ebilling"),
    )
    text = f"entity_type,code,name\nddo,{unique('DDO')},DDO {grouped(master)}\npost,,x {master}\n"
    mastered = await client.post(
        "/v1/uploads/master", content=text.encode(), headers=bearer("master")
    )

    reports = [r.json() for r in (pushed, uploaded, mastered)]
    assert [r.status_code for r in (pushed, uploaded, mastered)] == [200, 200, 200]
    assert reports[0]["aadhaar_redacted"] == {"name": 2, "district": 1, "remarks": 1}
    assert (reports[0]["received"], reports[0]["accepted"], reports[0]["rejected"]) == (2, 1, 1)
    assert reports[1]["aadhaar_redacted"] == {"treasury": 2}
    assert reports[1]["file_name"] == f"tna-{REDACTED}.csv"
    assert reports[2]["aadhaar_redacted"] == {"name": 2}
    rejections = (await client.get(reports[0]["rejections_url"], headers=bearer("hkrnl"))).json()
    assert [(r["raw"]["name"], r["aadhaar_redacted"]) for r in rejections] == [
        (f"Suresh {REDACTED}", {"name": 1})
    ]

    sent, stored = await _everything(kafka_bootstrap, db, starts, {r["batch_id"] for r in reports})
    for number in (name, district, remark, rejected, master):
        for form in _forms(number):
            assert form not in sent
            assert form not in stored
    assert aadhaar_like(sent) == []
    assert aadhaar_like(stored) == []
    assert "aadhaar_redacted" in sent  # the record's own issues say what was removed
