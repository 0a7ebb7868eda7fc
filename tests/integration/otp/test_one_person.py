"""A person in both sources (linked records) is decided once, on service aggregated
across HKRNL and e-Billing, and counted once (real Kafka and MongoDB)."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts import topics
from contracts.ingest import ServicePeriod
from tests.factories import unique
from tests.factories.otp import person
from tests.helpers import eventually
from tests.integration.otp.conftest import OtpHarness
from tests.integration.otp.persons import readiness


async def test_a_person_in_both_sources_has_one_decision_from_aggregated_service(
    otp: OtpHarness,
) -> None:
    hkrnl_id, ebilling_id = f"hkrnl:{unique('H')}", f"ebilling:{unique('E')}"
    ebilling = person(
        employee_id=ebilling_id,
        joined=date(2020, 1, 1),
        service_periods=(
            ServicePeriod(
                start=date(2020, 1, 1), end=date(2025, 3, 31), days_paid=1917, object_code="87"
            ),
        ),
        object_codes=("87",),
        linked_employee_ids=(hkrnl_id,),
    )
    hkrnl = person(
        employee_id=hkrnl_id,
        source="hkrnl",
        part="I",
        family_id=ebilling.family_id,
        mobile=ebilling.mobile,
        joined=date(2016, 4, 1),
        service_periods=(
            ServicePeriod(start=date(2016, 4, 1), end=date(2020, 3, 31), days_paid=1461),
        ),
        object_codes=(),
        monthly_remuneration=None,
    )
    # As ingest sends them: the first record alone, the second linked, the first relinked.
    await otp.publish(topics.EMPLOYEE_RECORDS, hkrnl)
    alone = (await otp.view(hkrnl_id))["decision"]["eligibility"]
    assert alone["status"] == "not_eligible"
    await otp.publish(topics.EMPLOYEE_RECORDS, ebilling)
    relinked = hkrnl.model_copy(
        update={"linked_employee_ids": (ebilling_id,), "source_version": hkrnl.source_version + 1}
    )
    await otp.publish(topics.EMPLOYEE_RECORDS, relinked)

    async def decided() -> list[dict[str, Any]] | None:
        docs = [await otp.db["views"].find_one({"_id": i}) for i in (hkrnl_id, ebilling_id)]
        both = [d["decision"] for d in docs if d and d["decision"]["person_ids"]]
        return both if len(both) == 2 else None

    first, second = await eventually(decided)

    for decision in (first, second):
        assert decision["person_ids"] == sorted([hkrnl_id, ebilling_id])
        assert decision["gate"] == {"open": True, "reasons": []}
        assert decision["eligibility"]["status"] == "eligible"
        assert decision["eligibility"]["qualifying_years"] == 8
        assert decision["eligibility"]["additional_remuneration_percent"] == 10
    assert first["eligibility"] == second["eligibility"]
    views = await otp.db["views"].find({"_id": {"$in": [hkrnl_id, ebilling_id]}}).to_list()
    assert {v["person_id"] for v in views} == {ebilling_id}
    assert not any(v["blocked"] for v in views)
    summary = await readiness(otp)  # counted per person: the two ids are one, under I+II
    assert summary["I+II"]["total"] >= 1
    assert ebilling.family_id is not None
    assert ebilling.mobile is not None
    sent = await otp.request(ebilling.family_id, ebilling.mobile)
    assert sent.status_code == 202, sent.text


async def test_linked_records_both_closed_are_one_blocked_person_with_each_reason(
    otp: OtpHarness,
) -> None:
    ddo = unique("DDO")
    hkrnl_id, ebilling_id = f"hkrnl:{unique('H')}", f"ebilling:{unique('E')}"
    ebilling = person(
        employee_id=ebilling_id, ddo_code=ddo, object_codes=("87",), linked_employee_ids=(hkrnl_id,)
    )
    hkrnl = person(
        employee_id=hkrnl_id,
        source="hkrnl",
        part="I",
        ddo_code=ddo,
        mobile=None,
        object_codes=(),
        linked_employee_ids=(ebilling_id,),
    )
    await otp.publish(topics.EMPLOYEE_RECORDS, ebilling)
    await otp.publish(topics.EMPLOYEE_RECORDS, hkrnl)

    async def summary() -> list[dict[str, Any]] | None:
        views = await otp.db["views"].find({"person_id": min(hkrnl_id, ebilling_id)}).to_list()
        if len(views) < 2 or any(not v["decision"]["person_ids"] for v in views):
            return None
        response = await otp.client.get("/v1/reports/blocked", headers=otp.officer("ddo", [ddo]))
        offices: list[dict[str, Any]] = response.json()["offices"]
        return offices

    assert await eventually(summary) == [
        {
            "department_code": "HEALTH",
            "ddo_code": ddo,
            "blocked": 1,
            "by_reason": {"mobile_missing": 1, "non_contractual_head": 1},
        }
    ]


async def test_a_person_in_both_sources_refused_for_a_changed_mobile_is_seen_once(
    otp: OtpHarness,
) -> None:
    hkrnl_id, ebilling_id = f"hkrnl:{unique('H')}", f"ebilling:{unique('E')}"
    ebilling = person(employee_id=ebilling_id, linked_employee_ids=(hkrnl_id,))
    hkrnl = person(
        employee_id=hkrnl_id,
        source="hkrnl",
        part="I",
        family_id=ebilling.family_id,
        mobile=ebilling.mobile,
        object_codes=(),
        linked_employee_ids=(ebilling_id,),
    )
    await otp.publish(topics.EMPLOYEE_RECORDS, ebilling)
    await otp.publish(topics.EMPLOYEE_RECORDS, hkrnl)

    async def linked() -> bool:
        docs = await otp.db["views"].find({"_id": {"$in": [hkrnl_id, ebilling_id]}}).to_list()
        return len(docs) == 2 and all(d["decision"]["person_ids"] for d in docs)

    await eventually(linked)
    assert ebilling.family_id is not None
    assert ebilling.mobile is not None

    refused = await otp.request(ebilling.family_id, "9" + ebilling.mobile[1:][::-1])

    assert [r["code"] for r in refused.json()["reasons"]] == ["mobile_mismatch"]
    summary = await readiness(otp)
    assert summary["I+II"]["blocked_by_reason"] == {"mobile_mismatch_seen": 1}
    views = await otp.db["views"].find({"_id": {"$in": [hkrnl_id, ebilling_id]}}).to_list()
    assert [v["_id"] for v in views if v["blocked"]] == [ebilling_id]  # the first id named
