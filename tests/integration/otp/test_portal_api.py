"""The portal's OTP flow on real Kafka and MongoDB: every reason code end to end,
challenges, brute force, reuse, expiry, delivery state, decisions and scope."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest

from contracts import topics
from contracts.notify import SmsStatusReported
from tests.factories import master_data, unique
from tests.factories.otp import certification, person
from tests.helpers import eventually
from tests.integration.otp.conftest import OtpHarness


async def reason_codes(response: Any) -> list[str]:
    return [reason["code"] for reason in response.json()["reasons"]]


async def test_an_open_gate_sends_an_otp_and_it_verifies_once(otp: OtpHarness) -> None:
    employee = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)

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
    employee = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)

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
    employee = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
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
    from contracts.certification import CertificationRevoked

    employee = person(object_codes=("02",))
    cert = certification(employee.employee_id)
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.publish(topics.CERTIFICATIONS, cert)
    await otp.view(employee.employee_id, version=2)
    revoked = CertificationRevoked(
        certification_id=cert.certification_id,
        employee_id=employee.employee_id,
        reason="issued in error",
        revoked_by_role="hrd",
        revoked_at=cert.effective_at,
        producer="certification",
        correlation_id=unique("c"),
        partition_key=employee.employee_id,
        source_version=cert.source_version + 1,
    )
    await otp.publish(topics.CERTIFICATIONS, revoked)
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


async def test_five_wrong_codes_lock_and_a_new_challenge_does_not_reset_the_count(
    otp: OtpHarness,
) -> None:
    employee = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
    first = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    code = await otp.code_sent(first)
    wrong = "000000" if code != "000000" else "111111"

    answers = [(await otp.verify(first, wrong)).json() for _ in range(3)]
    assert [a["attempts_left"] for a in answers] == [4, 3, 2]

    otp.clock.advance(minutes=11)  # the first challenge expires unused
    assert (await otp.verify(first, code)).json()["outcome"] == "expired"
    second = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    assert second != first
    second_code = await otp.code_sent(second)
    assert (await otp.verify(second, wrong)).json()["outcome"] == "wrong_code"
    locked = await otp.verify(second, wrong)

    assert locked.status_code == 423
    assert (await otp.verify(second, second_code)).json()["outcome"] == "locked"
    again = await otp.request(employee.family_id, employee.mobile)
    assert again.status_code == 429
    assert await reason_codes(again) == ["challenge_locked"]
    assert int(again.headers["Retry-After"]) > 0


async def test_a_resend_inside_the_window_sends_the_same_challenge_and_sends_are_capped(
    otp: OtpHarness,
) -> None:
    otp.clock.now = datetime(2031, 3, 3, 10, 0, 1, tzinfo=UTC)  # six sends in one hour
    employee = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
    answers = []
    for _ in range(6):
        answers.append(await otp.request(employee.family_id, employee.mobile))
        otp.clock.advance(seconds=30)  # the cool-down between two sends

    assert [a.status_code for a in answers] == [202] * 5 + [429]
    assert {a.json()["challenge_id"] for a in answers[:5]} == {answers[0].json()["challenge_id"]}
    assert [a.json()["send_number"] for a in answers[:5]] == [1, 2, 3, 4, 5]
    challenge_id = answers[0].json()["challenge_id"]
    assert await otp.code_sent(challenge_id, 1) == await otp.code_sent(challenge_id, 5)
    assert await reason_codes(answers[5]) == ["rate_limited"]
    assert int(answers[5].headers["Retry-After"]) > 0


async def test_requests_while_locked_send_nothing_and_the_send_cap_is_per_clock_hour(
    otp: OtpHarness,
) -> None:
    otp.clock.now = datetime(2031, 3, 3, 10, 0, 1, tzinfo=UTC)  # at the start of an hour
    employee = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
    first = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    wrong = "000000" if await otp.code_sent(first) != "000000" else "111111"
    assert (await otp.verify(first, wrong)).json()["outcome"] == "wrong_code"
    for _ in range(4):
        await otp.verify(first, wrong)  # the fifth wrong code locks the employee (15 min)

    while_locked = [await otp.request(employee.family_id, employee.mobile) for _ in range(6)]
    assert {tuple(await reason_codes(r)) for r in while_locked} == {("challenge_locked",)}

    otp.clock.advance(minutes=16)  # the lock is over; still the same hour
    after = []
    for _ in range(5):
        after.append(await otp.request(employee.family_id, employee.mobile))
        otp.clock.advance(seconds=30)  # the cool-down between two sends
    assert [r.status_code for r in after] == [202] * 4 + [429], "one send used, four left"
    assert await reason_codes(after[4]) == ["rate_limited"]
    assert int(after[4].headers["Retry-After"]) == 44 * 60 - 1 - 4 * 30

    otp.clock.advance(minutes=42)  # the next hour
    assert (await otp.request(employee.family_id, employee.mobile)).status_code == 202


async def test_delivery_status_from_notify_reaches_the_challenge(otp: OtpHarness) -> None:
    employee = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
    challenge_id = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    headers = {"Authorization": "Bearer portal-token-for-tests"}
    state = (await otp.client.get(f"/v1/otp/requests/{challenge_id}", headers=headers)).json()
    assert (state["delivery"], state["expired"]) == ("queued", False)

    for number, status in ((1, "sent"), (2, "delivered")):
        await otp.publish(
            topics.SMS_STATUS,
            SmsStatusReported(
                challenge_id=challenge_id,
                send_number=1,
                state=status,
                at=otp.clock(),
                producer="notify",
                correlation_id=challenge_id,
                partition_key=challenge_id,
                source_version=number,
            ),
        )

    async def delivered() -> bool:
        got = await otp.client.get(f"/v1/otp/requests/{challenge_id}", headers=headers)
        return bool(got.json()["delivery"] == "delivered")

    await eventually(delivered)
    otp.clock.advance(minutes=10)
    later = (await otp.client.get(f"/v1/otp/requests/{challenge_id}", headers=headers)).json()
    assert later["expired"] is True


async def test_departments_see_decisions_of_their_own_offices_only(otp: OtpHarness) -> None:
    employee = person(ddo_code="DDO-KNL-07")
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
    path = f"/v1/employees/{employee.employee_id}/decision"

    own = await otp.client.get(path, headers=otp.officer("ddo", ["DDO-KNL-07"]))
    other = await otp.client.get(path, headers=otp.officer("ddo", ["DDO-HSR-01"]))
    hrd = await otp.client.get(path, headers=otp.officer("hrd"))
    anonymous = await otp.client.get(path)

    assert own.status_code == 200
    assert own.json()["eligibility"]["status"] == "eligible"
    assert other.status_code == 403
    assert hrd.json() == own.json()
    assert anonymous.status_code == 401


async def test_an_hod_sees_the_decisions_of_every_office_of_the_department(
    otp: OtpHarness,
) -> None:
    department, office, ddo, foreign = unique("DEP"), unique("OFF"), unique("DDO"), unique("DDO")
    for event in (
        master_data(
            office,
            entity_type="office",
            parent_type="department",
            parent_code=department,
            partition_key=f"office:{office}",
        ),
        master_data(ddo, parent_type="office", parent_code=office),
    ):
        await otp.publish(topics.MASTER_DATA, event)
    mine, theirs = (
        person(ddo_code=ddo, office_code=None),
        person(ddo_code=foreign, office_code=None),
    )
    for employee in (mine, theirs):
        await otp.publish(topics.EMPLOYEE_RECORDS, employee)
        await otp.view(employee.employee_id)
    hod = otp.officer("hod", department=department)

    async def resolved() -> bool | None:
        answer = await otp.client.get(f"/v1/employees/{mine.employee_id}/decision", headers=hod)
        return True if answer.status_code == 200 else None  # once the master data is in

    assert await eventually(resolved)
    other = await otp.client.get(f"/v1/employees/{theirs.employee_id}/decision", headers=hod)
    assert other.status_code == 403


async def test_the_evaluate_cli_gives_the_same_decisions_as_the_api(otp: OtpHarness) -> None:
    employees = [
        person(),
        person(object_codes=("33",)),
        person(employment="part_time"),
        person(date_of_joining=None),
    ]
    for employee in employees:
        await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    api = []
    for employee in employees:
        await otp.view(employee.employee_id)
        got = await otp.client.get(
            f"/v1/employees/{employee.employee_id}/decision", headers=otp.officer("hrd")
        )
        api.append(got.json())

    done = subprocess.run(
        [sys.executable, "-m", "otp", "evaluate"],
        input="".join(e.model_dump_json() + "\n" for e in employees),
        capture_output=True,
        text=True,
        check=True,
    )
    assert [json.loads(line) for line in done.stdout.splitlines()] == api


async def test_no_otp_is_ever_written_in_plain_text(
    otp: OtpHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    employee = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
    challenge_id = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    otp.clock.advance(seconds=30)
    await otp.request(employee.family_id, employee.mobile)  # a resend
    code = await otp.code_sent(challenge_id)
    await otp.verify(challenge_id, "000000" if code != "000000" else "111111")
    await otp.verify(challenge_id, code)

    from tests.helpers import read_topic

    payloads = await read_topic(
        otp.kafka, topics.SMS_REQUESTS, lambda m: m.get("challenge_id") == challenge_id, count=2
    )
    payloads += await read_topic(
        otp.kafka,
        topics.ELIGIBILITY_CHANGES,
        lambda m: m.get("employee_id") == employee.employee_id,
    )
    documents = []
    for name in await otp.db.list_collection_names():
        documents += [doc async for doc in otp.db[name].find()]

    assert payloads
    assert documents
    assert code not in json.dumps(payloads)
    assert code not in json.dumps(documents, default=str)
    assert code not in caplog.text
    service_lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert not [line for line in service_lines if employee.mobile in line]


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
