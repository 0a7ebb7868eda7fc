"""HKRNL pushes JSON; a person present in both sources is linked, and the link travels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from pymongo.asynchronous.database import AsyncDatabase

from contracts import topics
from tests.factories import unique
from tests.factories.ingest import bearer
from tests.integration.ingest.topic_reading import end_offsets, read_to_end
from tests.pii_scan import collection_keys

T1, T2 = "2026-01-10T10:00:00+05:30", "2026-02-10T10:00:00+05:30"


def ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp() * 1000)


def hkrnl_record(ref: str, family_id: str, mobile: str) -> dict[str, Any]:
    return {
        "hkrnl_id": ref,
        "name": "सुनीता देवी",
        "date_of_birth": "12-05-1988",
        "date_of_joining": "01/04/2017",
        "mobile": f"+91 {mobile[:5]} {mobile[5:]}",
        "family_id": family_id.lower(),
        "department_code": "HLTH",
        "ddo_code": "DDO-HSR-01",
        "employment": "full_time",
        "scheme": "state",
    }


def ebilling_csv(code: str, family_id: str, mobile: str) -> bytes:
    header = (
        "employee_code,name,date_of_birth,date_of_joining,mobile,family_id,ddo_code,"
        "treasury,head_of_account,month,days_paid,amount\n"
    )
    lines = [
        f"{code},सुनीता देवी,12-05-1988,01-04-2017,0{mobile},{family_id},DDO-HSR-01,Hisar,"
        f"2210-01-110-99-51-69,{month}-2025,30,18000\n"
        for month in ("04", "05")
    ]
    return (header + "".join(lines)).encode()


async def test_a_pushed_record_is_published_under_its_stable_id_with_the_as_of_version(
    client: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    ref = unique("HK")
    start = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    response = await client.post(
        "/v1/hkrnl/records",
        json=hkrnl_record(ref, "AB12CD34", "9812345678"),
        params={"as_of": T1},
        headers=bearer("hkrnl"),
    )

    report = response.json()
    assert response.status_code == 200
    assert (report["received"], report["accepted"], report["published"]) == (1, 1, 1)
    events = await read_to_end(
        kafka_bootstrap,
        topics.EMPLOYEE_RECORDS,
        lambda b: b["employee_id"] == f"hkrnl:{ref}",
        since=start,
    )
    assert [(e["source_version"], e["batch_id"], e["row_number"]) for e in events] == [
        (ms(T1), report["batch_id"], 1)
    ]
    assert (events[0]["mobile"], events[0]["family_id"]) == ("9812345678", "AB12CD34")
    metrics = (await client.get("/metrics")).text
    assert 'ingest_rows_total{outcome="received",source="hkrnl"} 1.0' in metrics
    assert 'ingest_records_published_total{source="hkrnl"} 1.0' in metrics


async def test_a_person_in_both_sources_is_linked_and_the_earlier_record_republished(
    client: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    ref, code, family_id = unique("HK"), unique("EB"), "XY98ZW76"
    start = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    await client.post(
        "/v1/hkrnl/records",
        json=[hkrnl_record(ref, family_id, "9822222222")],
        params={"as_of": T1},
        headers=bearer("hkrnl"),
    )
    response = await client.post(
        "/v1/uploads/ebilling",
        content=ebilling_csv(code, family_id, "9822222222"),
        params={"as_of": T2},
        headers=bearer("ebilling"),
    )

    assert response.json()["relinked"] == 1
    ours = {f"hkrnl:{ref}", f"ebilling:{code}"}
    events = await read_to_end(
        kafka_bootstrap, topics.EMPLOYEE_RECORDS, lambda b: b["employee_id"] in ours, since=start
    )
    latest = {e["employee_id"]: e for e in sorted(events, key=lambda e: e["source_version"])}
    assert latest[f"ebilling:{code}"]["linked_employee_ids"] == [f"hkrnl:{ref}"]
    assert latest[f"hkrnl:{ref}"]["linked_employee_ids"] == [f"ebilling:{code}"]
    assert latest[f"hkrnl:{ref}"]["source_version"] == ms(T1) + 1


async def test_link_ids_hold_no_family_id_mobile_or_name_in_clear(
    client: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ref, code, family_id = unique("HK"), unique("EB"), "LM45NP67"
    await client.post(
        "/v1/hkrnl/records",
        json=[hkrnl_record(ref, family_id, "9844444444")],
        headers=bearer("hkrnl"),
    )
    relinked = await client.post(
        "/v1/uploads/ebilling",
        content=ebilling_csv(code, family_id, "9844444444"),
        headers=bearer("ebilling"),
    )

    assert relinked.json()["relinked"] == 1, "links are still found through the hashed ids"
    links = [doc async for doc in db["links"].find()]
    assert links
    for key in await collection_keys(db):
        assert family_id not in key[1]
        assert "9844444444" not in key[1]
        assert "सुनीता" not in key[1]


async def test_a_batch_report_is_shown_only_to_its_own_source(client: httpx.AsyncClient) -> None:
    pushed = await client.post(
        "/v1/hkrnl/records",
        json=hkrnl_record(unique("HK"), "PQ12RS34", "9833333333"),
        headers=bearer("hkrnl"),
    )
    url = f"/v1/batches/{pushed.json()['batch_id']}"

    own = await client.get(url, headers=bearer("hkrnl"))
    other = await client.get(url, headers=bearer("ebilling"))

    assert (own.status_code, other.status_code) == (200, 403)
    assert own.json() == pushed.json()
