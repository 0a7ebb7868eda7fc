"""Portal refusals are facts: a person refused for a mobile or Family ID that does not
match shows up on their DDO's blocked list and in readiness until a certification in
force corrects the value (real Kafka and MongoDB)."""

from __future__ import annotations

import csv
import io
from typing import Any

from contracts import topics
from servicekit.pii import mask_family_id, mask_mobile
from tests.factories import unique
from tests.factories.otp import certification, person
from tests.integration.otp.conftest import OtpHarness
from tests.integration.otp.persons import readiness


async def get(otp: OtpHarness, path: str, headers: dict[str, str], **params: str) -> Any:
    response = await otp.client.get(f"/v1/reports/{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response


async def parts(otp: OtpHarness) -> dict[str | None, dict[str, Any]]:
    return await readiness(otp)


async def test_a_changed_mobile_refused_at_the_portal_is_on_the_ddo_list_until_certified(
    otp: OtpHarness,
) -> None:
    ddo = unique("DDO")
    changed = person(ddo_code=ddo, name="Sunita Devi")
    untouched = person(ddo_code=ddo)
    for record in (changed, untouched):
        await otp.publish(topics.EMPLOYEE_RECORDS, record)
        await otp.view(record.employee_id)
    assert changed.mobile is not None
    assert changed.family_id is not None
    new_mobile = "9" + changed.mobile[1:][::-1]
    officer = otp.officer("ddo", [ddo])
    assert (await get(otp, "blocked", officer)).json()["offices"] == []
    assert "mobile_mismatch_seen" not in (await parts(otp))["II"]["blocked_by_reason"]

    refused = await otp.request(changed.family_id, new_mobile)
    again = await otp.request(changed.family_id, new_mobile)

    assert refused.status_code == again.status_code == 409
    assert [r["code"] for r in refused.json()["reasons"]] == ["mobile_mismatch"]
    await otp.view(changed.employee_id, version=3)
    summary = (await get(otp, "blocked", officer)).json()["offices"]
    assert [(o["ddo_code"], o["blocked"], o["by_reason"]) for o in summary] == [
        (ddo, 1, {"mobile_mismatch_seen": 1})
    ]
    listing = await get(otp, "blocked.csv", officer)
    [row] = list(csv.DictReader(io.StringIO(listing.text)))
    assert row["employee_id"] == changed.employee_id
    assert row["reason_codes"] == "mobile_mismatch_seen"
    assert row["refusals_seen"] == "2"
    assert row["last_refused_at"].startswith(otp.clock.now.date().isoformat())
    assert new_mobile not in listing.text
    assert changed.mobile not in listing.text
    summary = (await parts(otp))["II"]
    assert summary["blocked_by_reason"]["mobile_mismatch_seen"] == 1
    decision = await otp.client.get(
        f"/v1/employees/{changed.employee_id}/decision", headers=otp.officer("hrd")
    )
    [seen] = decision.json()["refusals_seen"]
    assert seen["code"] == "mobile_mismatch_seen"
    assert (seen["evidence"]["count"], seen["evidence"]["typed"]) == (2, mask_mobile(new_mobile))
    assert seen["evidence"]["client"] == "hkcl-portal"
    facts = await otp.db["refusals"].find({"employee_id": changed.employee_id}).to_list()
    assert [(f["reason"], f["typed"], f["client"]) for f in facts] == [
        ("mobile_mismatch", mask_mobile(new_mobile), "hkcl-portal")
    ] * 2
    assert new_mobile not in str(facts)

    cert = certification(
        changed.employee_id, covers=("mobile_changed",), corrected_mobile=new_mobile
    )
    await otp.publish(topics.CERTIFICATIONS, cert)
    await otp.view(changed.employee_id, version=4)

    assert (await get(otp, "blocked", officer)).json()["offices"] == []
    emptied = await get(otp, "blocked.csv", officer)
    assert list(csv.DictReader(io.StringIO(emptied.text))) == []
    assert "mobile_mismatch_seen" not in (await parts(otp))["II"]["blocked_by_reason"]
    assert (await otp.request(changed.family_id, new_mobile)).status_code == 202


async def test_a_wrong_family_id_refused_for_a_known_mobile_is_seen_on_that_employee(
    otp: OtpHarness,
) -> None:
    employee = await otp.viewed()
    assert employee.mobile is not None
    wrong = f"W{unique('')[-6:].upper():0>6}Z"[:8]

    refused = await otp.request(wrong, employee.mobile)

    assert [r["code"] for r in refused.json()["reasons"]] == ["family_id_mismatch"]
    view = await otp.view(employee.employee_id, version=2)
    assert view["blocked_reasons"] == ["family_id_mismatch_seen"]
    assert view["refusals"]["family_id_mismatch"]["last_typed"] == mask_family_id(wrong)

    summary = (await parts(otp))["II"]
    assert summary["blocked_by_reason"]["family_id_mismatch_seen"] == 1

    fixed = certification(
        employee.employee_id, covers=("family_id_incorrect",), corrected_family_id=wrong
    )
    await otp.publish(topics.CERTIFICATIONS, fixed)
    cleared = await otp.view(employee.employee_id, version=3)
    assert cleared["blocked"] is False
    assert cleared["decision"]["refusals_seen"] == []


async def test_a_view_stored_before_blocked_was_kept_is_reported_as_its_gate_says(
    otp: OtpHarness,
) -> None:
    ddo = unique("DDO")
    closed = person(ddo_code=ddo, object_codes=("87",))
    await otp.publish(topics.EMPLOYEE_RECORDS, closed)
    await otp.view(closed.employee_id)
    await otp.db["views"].update_one(
        {"_id": closed.employee_id}, {"$unset": {"blocked": "", "blocked_reasons": ""}}
    )

    summary = (await get(otp, "blocked", otp.officer("ddo", [ddo]))).json()["offices"]
    listing = await get(otp, "blocked.csv", otp.officer("ddo", [ddo]))

    assert [(o["blocked"], o["by_reason"]) for o in summary] == [(1, {"non_contractual_head": 1})]
    [row] = list(csv.DictReader(io.StringIO(listing.text)))
    assert row["reason_codes"] == "non_contractual_head"
