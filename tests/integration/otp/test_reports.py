"""Reconciliation reports on real Kafka and MongoDB: planted blocked people show up per
department and DDO, exactly, with masked data only; departments see only their offices."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx

from contracts import topics
from contracts.ingest import EmployeeRecordReceived
from otp.domain.reasons import REASONS
from servicekit.pii import mask_family_id, mask_mobile
from tests.factories import unique
from tests.factories.otp import certification, person
from tests.helpers import eventually
from tests.integration.otp.conftest import OtpHarness


@dataclass
class Planted:
    department: str
    ddo: str
    other_ddo: str
    blocked: dict[str, EmployeeRecordReceived]  # label -> record, all in `ddo`
    elsewhere: EmployeeRecordReceived  # blocked, same department, `other_ddo`


async def plant(otp: OtpHarness) -> Planted:
    """One office with three blocked people, one open gate and one gate a certification
    opened; a second office of the same department with one blocked person."""
    department, ddo, other_ddo = unique("DEPT"), unique("DDO"), unique("DDO")
    at = {"department_code": department, "ddo_code": ddo}
    blocked = {
        "head": person(**at, object_codes=("87",), name="सुनीता देवी"),
        "mobile": person(**at, mobile=None, name="=Ram Kumar"),
        "both": person(**at, mobile=None, family_id=None, name="Asha Rani Saini"),
    }
    open_gate = person(**at)
    certified = person(**at, object_codes=("87",))
    elsewhere = person(department_code=department, ddo_code=other_ddo, object_codes=("33",))
    for record in [*blocked.values(), open_gate, certified, elsewhere]:
        await otp.publish(topics.EMPLOYEE_RECORDS, record)
    await otp.publish(topics.CERTIFICATIONS, certification(certified.employee_id))
    for record in [*blocked.values(), open_gate, elsewhere]:
        await otp.view(record.employee_id)
    await otp.view(certified.employee_id, version=2)
    return Planted(department, ddo, other_ddo, blocked, elsewhere)


async def report(otp: OtpHarness, path: str, headers: dict[str, str], **params: str) -> Any:
    response = await otp.client.get(f"/v1/reports/{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text)))


async def test_the_blocked_report_counts_exactly_the_planted_people_per_office(
    otp: OtpHarness,
) -> None:
    planted = await plant(otp)

    by_ddo = await report(otp, "blocked", otp.officer("hrd"), ddo=planted.ddo)
    by_department = await report(otp, "blocked", otp.officer("hrd"), department=planted.department)

    assert by_ddo.json()["offices"] == [
        {
            "department_code": planted.department,
            "ddo_code": planted.ddo,
            "blocked": 3,
            "by_reason": {"family_id_missing": 1, "mobile_missing": 2, "non_contractual_head": 1},
        }
    ]
    assert [(o["ddo_code"], o["blocked"]) for o in by_department.json()["offices"]] == sorted(
        [(planted.ddo, 3), (planted.other_ddo, 1)]
    )


async def test_the_csv_lists_whom_the_office_must_certify_with_masked_data_only(
    otp: OtpHarness,
) -> None:
    planted = await plant(otp)

    response = await report(otp, "blocked.csv", otp.officer("hrd"), ddo=planted.ddo)

    assert response.headers["content-type"].startswith("text/csv")
    rows = {row["employee_id"]: row for row in csv_rows(response)}
    assert set(rows) == {record.employee_id for record in planted.blocked.values()}
    head = rows[planted.blocked["head"].employee_id]
    assert head["name_initials"] == "स. द."
    assert head["mobile"] == mask_mobile(planted.blocked["head"].mobile)
    assert head["family_id"] == mask_family_id(planted.blocked["head"].family_id)
    assert head["reason_codes"] == "non_contractual_head"
    assert head["next_step_en"] == REASONS["non_contractual_head"].next_step_en
    formula = rows[planted.blocked["mobile"].employee_id]
    assert formula["name_initials"] == "'=. K."  # a spreadsheet shows it, never runs it
    both = rows[planted.blocked["both"].employee_id]
    assert both["name_initials"] == "A. R. S."
    assert (both["mobile"], both["family_id"]) == ("-", "-")
    assert sorted(both["reason_codes"].split(";")) == ["family_id_missing", "mobile_missing"]
    for record in planted.blocked.values():
        for secret in (record.mobile, record.family_id, record.name):
            assert not secret or secret not in response.text


async def test_a_department_sees_only_its_own_offices(otp: OtpHarness) -> None:
    planted = await plant(otp)
    department = otp.officer("ddo", [planted.ddo])

    summary = await report(otp, "blocked", department)
    listing = await report(otp, "blocked.csv", department)

    assert [o["ddo_code"] for o in summary.json()["offices"]] == [planted.ddo]
    assert {row["ddo_code"] for row in csv_rows(listing)} == {planted.ddo}
    assert len(csv_rows(listing)) == len(planted.blocked)
    for path in ("blocked", "blocked.csv"):
        outside = await otp.client.get(
            f"/v1/reports/{path}", params={"ddo": planted.other_ddo}, headers=department
        )
        assert outside.status_code == 403, outside.text
        assert planted.other_ddo in outside.json()["detail"]


async def test_readiness_is_for_hrd_and_reports_need_an_officer_token(otp: OtpHarness) -> None:
    department = otp.officer("ddo", ["DDO-HSR-01"])

    refused = await otp.client.get("/v1/reports/readiness", headers=department)
    anonymous = await otp.client.get("/v1/reports/blocked")

    assert refused.status_code == 403
    assert anonymous.status_code == 401


def tally(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The readiness summary counted in Python from the stored views, as an oracle."""
    parts: dict[str | None, dict[str, Any]] = {}
    for view in views:
        part = (view.get("record") or {}).get("part")
        entry = parts.setdefault(
            part, {"total": 0, "gate_open": 0, "reasons": Counter(), "eligibility": Counter()}
        )
        decision = view["decision"]
        entry["total"] += 1
        entry["gate_open"] += decision["gate"]["open"]
        entry["reasons"].update(reason["code"] for reason in decision["gate"]["reasons"])
        entry["eligibility"][decision["eligibility"]["status"]] += 1
    return [
        {
            "part": part,
            "total": entry["total"],
            "gate_open": entry["gate_open"],
            "blocked": entry["total"] - entry["gate_open"],
            "blocked_by_reason": dict(sorted(entry["reasons"].items())),
            "eligibility": dict(sorted(entry["eligibility"].items())),
        }
        for part, entry in sorted(parts.items(), key=lambda item: item[0] or "~")
    ]


async def test_readiness_per_part_agrees_with_the_views_it_summarises(otp: OtpHarness) -> None:
    part_one = person(part="I", source="hkrnl", mobile=None, employee_id=f"hkrnl:{unique('H')}")
    await otp.publish(topics.EMPLOYEE_RECORDS, part_one)
    await plant(otp)
    await otp.view(part_one.employee_id)

    async def agreeing() -> list[dict[str, Any]] | None:
        summary = (await report(otp, "readiness", otp.officer("hrd"))).json()["parts"]
        views = await otp.db["views"].find({}, {"record.part": 1, "decision": 1}).to_list()
        return summary if summary == tally(views) else None

    summary = {entry["part"]: entry for entry in await eventually(agreeing)}
    assert summary["I"]["blocked_by_reason"]["mobile_missing"] >= 1
    assert summary["II"]["blocked_by_reason"]["non_contractual_head"] >= 2
