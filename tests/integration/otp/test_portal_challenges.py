"""The portal's challenges on real Kafka and MongoDB, on the test's clock: brute force
locks after five wrong codes whatever new challenge is asked for, a resend inside the
window sends the same challenge and sends are capped per clock hour (nothing is sent while
locked), expiry and the delivery state notify reports reach the challenge, and no OTP is
ever written in plain text to a topic, a collection or a log."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest

from contracts import topics
from tests.factories.otp import sms_status
from tests.helpers import eventually
from tests.integration.otp.conftest import OtpHarness
from tests.integration.otp.portal import reason_codes


async def test_five_wrong_codes_lock_and_a_new_challenge_does_not_reset_the_count(
    otp: OtpHarness,
) -> None:
    employee = await otp.viewed()
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
    employee = await otp.viewed()
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
    employee = await otp.viewed()
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
    employee = await otp.viewed()
    challenge_id = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    headers = {"Authorization": "Bearer portal-token-for-tests"}
    state = (await otp.client.get(f"/v1/otp/requests/{challenge_id}", headers=headers)).json()
    assert (state["delivery"], state["expired"]) == ("queued", False)

    for number, status in ((1, "sent"), (2, "delivered")):
        await otp.publish(topics.SMS_STATUS, sms_status(challenge_id, status, number, otp.clock()))

    async def delivered() -> bool:
        got = await otp.client.get(f"/v1/otp/requests/{challenge_id}", headers=headers)
        return bool(got.json()["delivery"] == "delivered")

    await eventually(delivered)
    otp.clock.advance(minutes=10)
    later = (await otp.client.get(f"/v1/otp/requests/{challenge_id}", headers=headers)).json()
    assert later["expired"] is True


async def test_no_otp_is_ever_written_in_plain_text(
    otp: OtpHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    employee = await otp.viewed()
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
