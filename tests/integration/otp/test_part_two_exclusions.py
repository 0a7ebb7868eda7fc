"""The Act's exclusions reach Part-II through master data: ingest classifies an e-Billing
employee by the head their pay came from and their post, and the OTP service's rules
exclude them (ingest and OTP on real Kafka and MongoDB)."""

from __future__ import annotations

from typing import Any

import httpx

from ingest.app import create_app as create_ingest
from tests.factories import unique
from tests.factories.ingest import bearer, ingest_settings
from tests.helpers import serving
from tests.integration.otp.conftest import OtpHarness

MASTER = """entity_type,code,name,parent_type,parent_code,active,funding,employment
head,2210-01-110-97,National Health Mission (centrally sponsored),,,Y,centrally_sponsored,
head,2210-01-110-99,Health services,,,Y,state,
post,P06,Staff Nurse,,,Y,,full_time
post,P90,Part-time Sweeper,,,Y,,part_time
"""
COLUMNS = (
    "employee_code,name,ddo_code,treasury,head_of_account,month,days_paid,amount,mobile,"
    "family_id,date_of_birth,date_of_joining,department_code,office_code,post_code,district"
)


def lines(code: str, head: str, post: str, mobile: str, family_id: str) -> list[str]:
    months = [f"{m:02d}-2024" for m in range(1, 9)]
    days = {"02": 29, "04": 30, "06": 30}
    return [
        f"{code},Sunita Devi,DDO0001,Ambala,{head},{month},{days.get(month[:2], 31)},15000,"
        f"{mobile},{family_id},1985-04-10,01-04-2015,HLT,HLTAMB,{post},Ambala"
        for month in months
    ]


async def upload(client: httpx.AsyncClient, source: str, body: str) -> dict[str, Any]:
    response = await client.post(
        f"/v1/uploads/{source}",
        content=body.encode(),
        params={"file_name": f"{source}.csv"},
        headers=bearer(source),
    )
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


async def test_pay_from_a_centrally_sponsored_head_or_a_part_time_post_is_not_eligible(
    otp: OtpHarness, mongodb_uri: str
) -> None:
    token = unique("x")[-6:].upper()
    css, part_time, state, unclassified = (f"E{token}{n}" for n in "1234")
    rows = [
        *lines(css, "2210-01-110-97-69", "P06", "9800000001", f"CS{token}"),
        *lines(part_time, "2210-01-110-99-69", "P90", "9800000002", f"PT{token}"),
        *lines(state, "2210-01-110-99-69", "P06", "9800000003", f"ST{token}"),
        *lines(unclassified, "2210-01-110-95-69", "P06", "9800000004", f"UC{token}"),
    ]
    ingest = create_ingest(ingest_settings(otp.kafka, mongodb_uri))
    async with serving(ingest, "http://ingest", timeout=60) as client:
        assert (await upload(client, "master", MASTER))["rejected"] == 0
        report = await upload(client, "ebilling", "\n".join([COLUMNS, *rows]) + "\n")
        assert report["published"] == 4, report
        completeness = (
            await client.get("/v1/reports/completeness", headers=bearer("master"))
        ).json()

    heads = {
        (g["code"], g["employees"]) for g in completeness["gaps"] if g["entity_type"] == "head"
    }
    assert heads == {("2210-01-110-95", 1)}

    decisions = {}
    for code in (css, part_time, state, unclassified):
        view = await otp.view(f"ebilling:{code}")
        assert view["record"]["heads_of_account"], view["record"]
        decisions[code] = view["decision"]["eligibility"]
    assert decisions[css]["status"] == "not_eligible"
    assert "centrally_sponsored_scheme" in [r["code"] for r in decisions[css]["reasons"]]
    assert decisions[part_time]["status"] == "not_eligible"
    assert "part_time" in [r["code"] for r in decisions[part_time]["reasons"]]
    for code in (state, unclassified):
        codes = [r["code"] for r in decisions[code]["reasons"]]
        assert "centrally_sponsored_scheme" not in codes
        assert "part_time" not in codes
