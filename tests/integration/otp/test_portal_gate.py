"""The portal's gate on real Kafka and MongoDB: an open gate sends an OTP that verifies
once, a closed one refuses with its reason in English and Hindi; unknown people and
mismatches are told apart; certifications open a gate the head of account closed or
replace a changed mobile, a revocation closes it again, and one before any record leaves
it closed; replayed, duplicated and out-of-order events leave the view unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from contracts import topics
from tests.factories import unique
from tests.factories.otp import certification, person, revocation
from tests.integration.otp.conftest import OtpHarness
from tests.integration.otp.portal import reason_codes


async def test_an_open_gate_sends_an_otp_and_it_verifies_once(otp: OtpHarness) -> None:
    employee = await otp.viewed()

    sent = await otp.request(employee.family_id.lower(), f"+91 {employee.mobile}")
    assert sent.status_code == 202, sent.text
    challenge_id = sent.json()["challenge_id"]
    code = await otp.code_sent(challenge_id)

    assert (await otp.verify(challenge_id, code)).json() == {
        "outcome": "verified",
        "attempts_left": None,
    }
    reused = await otp.verify(challenge_id, code)
    assert reused.status_code == 409
    assert reused.json()["outcome"] == "already_used"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"mobile": None}, "mobile_missing"),
        ({"family_id": None}, "family_id_missing"),
        ({"object_codes": ("87",)}, "non_contractual_head"),
    ],
)
async def test_a_closed_gate_refuses_with_its_reason_in_english_and_hindi(
    otp: OtpHarness, fields: dict[str, Any], code: str
) -> None:
    employee = person(**fields)
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
    # The portal types what the person holds; the record lacks the field it would match.
    family_id = employee.family_id or "ZZ999999"
    mobile = employee.mobile or "9000000001"
    refused = await otp.request(family_id, mobile)
    assert refused.status_code == 409
    [reason] = refused.json()["reasons"]
    assert reason["code"] == code
    assert "certification" in reason["next_step_en"]
    assert "प्रमाण पत्र" in reason["next_step_hi"]


async def test_unknown_people_and_mismatches_are_told_apart(otp: OtpHarness) -> None:
    employee = await otp.viewed()

    wrong_mobile = await otp.request(employee.family_id, "9111111111")
    wrong_family = await otp.request("QQ123456", employee.mobile)
    nobody = await otp.request("QQ123456", "9111111111")

    assert await reason_codes(wrong_mobile) == ["mobile_mismatch"]
    assert (
        wrong_mobile.json()["hints"]["mobile"]
        == f"{employee.mobile[:2]}******{employee.mobile[-2:]}"
    )
    assert await reason_codes(wrong_family) == ["family_id_mismatch"]
    assert await reason_codes(nobody) == ["not_found"]
    assert employee.mobile not in wrong_mobile.text


async def test_a_certification_in_force_opens_a_gate_closed_by_the_head_of_account(
    otp: OtpHarness,
) -> None:
    employee = person(object_codes=("87",))
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
    assert (await otp.request(employee.family_id, employee.mobile)).status_code == 409

    await otp.publish(topics.CERTIFICATIONS, certification(employee.employee_id))
    await otp.view(employee.employee_id, version=2)

    assert (await otp.request(employee.family_id, employee.mobile)).status_code == 202


async def test_a_certified_new_mobile_replaces_a_changed_one(otp: OtpHarness) -> None:
    employee = await otp.viewed()
    new_mobile = "9" + employee.mobile[1:][::-1]
    assert await reason_codes(await otp.request(employee.family_id, new_mobile)) == [
        "mobile_mismatch"
    ]

    cert = certification(
        employee.employee_id, covers=("mobile_changed",), corrected_mobile=new_mobile
    )
    await otp.publish(topics.CERTIFICATIONS, cert)
    await otp.view(employee.employee_id, until=lambda view: view["mobile"] == new_mobile)

    assert (await otp.request(employee.family_id, new_mobile)).status_code == 202


async def test_replayed_duplicated_and_out_of_order_events_leave_the_view_unchanged(
    otp: OtpHarness,
) -> None:
    old = person(name="Old Name")
    new = old.model_copy(update={"name": "New Name", "source_version": old.source_version + 1})
    cert = certification(old.employee_id)
    await otp.publish(topics.EMPLOYEE_RECORDS, new)
    await otp.publish(topics.CERTIFICATIONS, cert)
    # settled once its decision is announced too (the mark is a write of its own, after)
    settled = await otp.view(
        old.employee_id, version=2, until=lambda v: v["published_version"] >= v["view_version"]
    )

    for event in (old, new, new, cert, old):
        topic = topics.EMPLOYEE_RECORDS if event is not cert else topics.CERTIFICATIONS
        await otp.publish(topic, event)
    marker = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, marker)
    await otp.view(marker.employee_id)  # the replays before it on the topic are processed

    after = await otp.db["views"].find_one({"_id": old.employee_id})
    assert after == settled
    assert after["record"]["name"] == "New Name"


async def test_a_revocation_closes_the_gate_again_and_the_change_is_announced(
    otp: OtpHarness,
) -> None:
    employee = person(object_codes=("02",))
    cert = certification(employee.employee_id)
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.publish(topics.CERTIFICATIONS, cert)
    await otp.view(employee.employee_id, version=2)
    await otp.publish(topics.CERTIFICATIONS, revocation(cert))
    await otp.view(employee.employee_id, version=3)

    assert await reason_codes(await otp.request(employee.family_id, employee.mobile)) == [
        "non_contractual_head"
    ]
    from tests.helpers import read_topic

    changes = await read_topic(
        otp.kafka,
        topics.ELIGIBILITY_CHANGES,
        lambda m: m.get("employee_id") == employee.employee_id,
        count=3,
        distinct=lambda m: m["source_version"],
    )
    assert [c["gate_open"] for c in sorted(changes, key=lambda c: c["source_version"])] == [
        False,
        True,
        False,
    ]


async def test_a_certification_before_any_record_leaves_the_gate_closed_for_no_record(
    otp: OtpHarness,
) -> None:
    employee_id = f"ebilling:{unique('E')}"
    await otp.publish(topics.CERTIFICATIONS, certification(employee_id))
    await otp.view(employee_id)
    decision = await otp.client.get(
        f"/v1/employees/{employee_id}/decision", headers=otp.officer("hrd")
    )

    assert decision.status_code == 200
    assert [r["code"] for r in decision.json()["gate"]["reasons"]] == ["no_record"]
    assert decision.json()["eligibility"]["status"] == "undetermined"
