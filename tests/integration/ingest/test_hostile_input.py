"""Hostile or contradictory input on the real Kafka and MongoDB: every row is accounted
for with a reason, every push and upload is reported, and nothing answers 500."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry

from contracts import topics
from ingest.adapters.kafka import KafkaPublisher
from ingest.app import create_app
from servicekit.aadhaar import REDACTED
from servicekit.messaging import make_broker
from tests.factories import master_data, unique
from tests.factories.aadhaar import valid_aadhaar
from tests.factories.ingest import bearer, ingest_settings
from tests.helpers import serving
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


def _hkrnl_csv(ending: str, *refs: str, name: str = "Ramesh Kumar") -> str:
    header = "hkrnl_id,name,date_of_birth,date_of_joining,mobile,family_id,ddo_code"
    rows = [f"{ref},{name},12-05-1988,01-04-2017,9812345678,AB12CD34,DDO-HSR-01" for ref in refs]
    return ending.join([header, *rows]) + ending


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
async def test_every_line_ending_gives_every_row(client: httpx.AsyncClient, ending: str) -> None:
    refs = [unique("HK") for _ in range(3)]
    response = await client.post(
        "/v1/uploads/hkrnl", content=_hkrnl_csv(ending, *refs).encode(), headers=bearer("hkrnl")
    )
    report = response.json()
    assert response.status_code == 200
    assert (report["received"], report["accepted"], report["published"]) == (3, 3, 3)


async def test_a_quote_left_open_rejects_its_line_and_keeps_every_later_row(
    client: httpx.AsyncClient,
) -> None:
    refs = [unique("HK") for _ in range(4)]
    lines = _hkrnl_csv("\n", *refs).split("\n")
    lines[2] = '"' + lines[2]  # the second data row opens a quote it never closes
    response = await client.post(
        "/v1/uploads/hkrnl", content="\n".join(lines).encode(), headers=bearer("hkrnl")
    )
    report = response.json()

    assert response.status_code == 200
    assert (report["received"], report["accepted"], report["rejected"]) == (4, 3, 1)
    [rejected] = await _rejections(client, report)
    assert rejected["row_number"] == 2
    assert "quote opened on this line is not closed" in rejected["reason"]


async def test_an_upload_name_keeps_no_bidi_control_nor_an_aadhaar_number(
    client: httpx.AsyncClient,
) -> None:
    number = valid_aadhaar("file")
    hidden = f"uid {number[:4]}\u2066{number[4:8]}\x01{number[8:]} \u202efdp.exe"
    response = await client.post(
        "/v1/uploads/hkrnl",
        params={"file_name": hidden},
        content=_hkrnl_csv("\n", unique("HK")).encode(),
        headers=bearer("hkrnl"),
    )
    name = response.json()["file_name"]

    assert response.status_code == 200
    assert name == f"uid {REDACTED} fdp.exe"


async def test_a_latin1_file_is_refused_naming_the_line_or_read_when_declared(
    client: httpx.AsyncClient,
) -> None:
    body = _hkrnl_csv("\n", unique("HK"), unique("HK"), name="José Kumar").encode("latin-1")
    refused = await client.post("/v1/uploads/hkrnl", content=body, headers=bearer("hkrnl"))
    declared = await client.post(
        "/v1/uploads/hkrnl",
        content=body,
        headers=bearer("hkrnl") | {"Content-Type": "text/csv; charset=ISO-8859-1"},
    )
    unknown = await client.post(
        "/v1/uploads/hkrnl",
        content=body,
        headers=bearer("hkrnl") | {"Content-Type": "text/csv; charset=klingon"},
    )

    assert refused.status_code == 422
    assert "not UTF-8: byte 0xE9 on line 2" in refused.json()["detail"]
    assert (declared.status_code, declared.json()["accepted"]) == (200, 2)
    assert unknown.status_code == 415


async def test_nul_bytes_lone_surrogates_and_deep_nesting_are_reasoned_rejections(
    client: httpx.AsyncClient,
) -> None:
    deep = "[" * 900 + "]" * 900
    refs = [unique("HK") for _ in range(4)]
    body = (
        "["
        + ",".join(
            [
                json.dumps(hkrnl_record(refs[0], "AB12CD34", "9812345678")),
                json.dumps(hkrnl_record(refs[1], "AB12CD34", "9812345678") | {"name": "Ram\0"}),
                json.dumps(hkrnl_record(refs[2], "AB12CD34", "9812345678")).replace(
                    '"name": "', '"name": "\\ud800'
                ),
                json.dumps(hkrnl_record(refs[3], "AB12CD34", "9812345678")).replace(
                    '"scheme": "state"', f'"scheme": {deep}'
                ),
            ]
        )
        + "]"
    )
    response = await client.post(
        "/v1/hkrnl/records",
        content=body.encode(),
        headers=bearer("hkrnl") | {"Content-Type": "application/json"},
    )

    report = response.json()
    assert response.status_code == 200, report
    assert (report["received"], report["accepted"], report["rejected"]) == (4, 1, 3)
    reasons = {r["row_number"]: r["reason"] for r in await _rejections(client, report)}
    assert reasons[2].startswith("name: contains the control character U+0000")
    assert reasons[3].startswith("name: is not valid Unicode text (a lone surrogate U+D800")
    assert reasons[4] == "row: scheme nests 900 levels deep; at most 3"


@pytest.mark.parametrize("depth", [900, 100_000])
async def test_a_body_nested_past_what_can_be_read_is_a_clear_4xx(
    client: httpx.AsyncClient, depth: int
) -> None:
    body = ("[" * depth + "]" * depth).encode()
    for path in ("/v1/hkrnl/records", "/v1/uploads/master"):
        source = "hkrnl" if "hkrnl" in path else "master"
        response = await client.post(
            path, content=body, headers=bearer(source) | {"Content-Type": "application/json"}
        )
        assert response.status_code == 422
        assert response.json()["detail"].startswith("body ")


async def test_a_json_upload_is_read_whole_so_it_has_the_json_limit(
    kafka_bootstrap: str, mongodb_uri: str
) -> None:
    app = create_app(ingest_settings(kafka_bootstrap, mongodb_uri, max_push_bytes=4096))
    body = json.dumps([{"entity_type": "ddo", "code": f"D{i}", "name": "x"} for i in range(200)])
    async with serving(app, "http://ingest") as small:
        as_json = await small.post(
            "/v1/uploads/master",
            content=body.encode(),
            headers=bearer("master") | {"Content-Type": "application/json"},
        )
        as_csv = await small.post(
            "/v1/uploads/master",
            content=("entity_type,code,name\n" + "ddo,D1,x\n" * 500).encode(),
            headers=bearer("master"),
        )
    assert as_json.status_code == 413
    assert "send a larger file as CSV" in as_json.json()["detail"]
    assert as_csv.status_code == 200
