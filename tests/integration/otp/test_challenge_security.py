"""What a challenge stores, what it stays bound to, and what a success clears, on the
real broker and mongod."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from contracts import topics
from servicekit.sealing import SealError, unseal
from tests.factories.otp import certification, person, revocation
from tests.helpers import read_topic
from tests.integration.otp.conftest import OtpHarness


def strings(value: Any) -> Iterator[str]:
    """Every string inside a document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


async def test_no_stored_field_opens_to_the_code_after_request_resend_and_verify(
    otp: OtpHarness,
) -> None:
    employee = await otp.viewed()
    challenge_id = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    otp.clock.advance(seconds=31)
    resent = await otp.request(employee.family_id, employee.mobile)
    assert resent.json()["send_number"] == 2
    code = await otp.code_sent(challenge_id)
    assert await otp.code_sent(challenge_id, 2) == code, "a re-send derives the same code"
    stored_before_verify = await otp.db["challenges"].find_one({"_id": challenge_id})
    assert (await otp.verify(challenge_id, code)).json()["outcome"] == "verified"

    documents: list[Any] = [stored_before_verify]
    for name in await otp.db.list_collection_names():
        documents += [doc async for doc in otp.db[name].find()]
    key = otp.settings.sms_seal_key.get_secret_value()
    opened = []
    for text in (s for doc in documents for s in strings(doc)):
        try:
            opened.append(unseal(key, text))
        except (SealError, ValueError):
            continue
    assert opened == []
    assert "sealed_code" not in stored_before_verify
    assert code not in json.dumps(documents, default=str)


async def test_a_verified_code_clears_the_employees_wrong_codes(otp: OtpHarness) -> None:
    employee = await otp.viewed()
    first = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    code = await otp.code_sent(first)
    for _ in range(4):
        assert (await otp.verify(first, wrong(code))).json()["outcome"] == "wrong_code"
    assert (await otp.verify(first, code)).json()["outcome"] == "verified"

    otp.clock.advance(seconds=31)
    second = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    assert second != first
    answer = await otp.verify(second, wrong(await otp.code_sent(second)))

    assert answer.status_code == 422, answer.text
    assert answer.json() == {"outcome": "wrong_code", "attempts_left": 4}


async def challenge_state(otp: OtpHarness, challenge_id: str) -> str:
    doc = await otp.db["challenges"].find_one({"_id": challenge_id})
    assert doc is not None
    return str(doc["state"])


async def test_a_code_sent_to_a_certified_mobile_is_invalidated_by_the_revocation(
    otp: OtpHarness,
) -> None:
    employee = person()
    certified = "9" + employee.mobile[1:][::-1]
    cert = certification(
        employee.employee_id, covers=("mobile_changed",), corrected_mobile=certified
    )
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.publish(topics.CERTIFICATIONS, cert)
    await otp.view(employee.employee_id, version=2)
    sent = await otp.request(employee.family_id, certified)
    assert sent.status_code == 202, sent.text
    challenge_id = sent.json()["challenge_id"]
    code = await otp.code_sent(challenge_id)

    await otp.publish(topics.CERTIFICATIONS, revocation(cert))
    await otp.view(employee.employee_id, version=3)
    answer = await otp.verify(challenge_id, code)

    assert answer.status_code == 410
    assert answer.json()["outcome"] == "challenge_invalidated"
    assert await challenge_state(otp, challenge_id) == "invalidated"


async def test_a_code_is_invalidated_when_a_newer_record_closes_the_gate(
    otp: OtpHarness,
) -> None:
    employee = await otp.viewed()
    challenge_id = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    code = await otp.code_sent(challenge_id)

    closed = employee.model_copy(
        update={"object_codes": ("87",), "source_version": employee.source_version + 1}
    )
    await otp.publish(topics.EMPLOYEE_RECORDS, closed)
    await otp.view(employee.employee_id, version=2)

    answer = await otp.verify(challenge_id, code)
    assert (answer.status_code, answer.json()["outcome"]) == (410, "challenge_invalidated")


async def test_a_code_withdrawn_before_the_view_told_the_challenge_is_refused_at_verify(
    otp: OtpHarness,
) -> None:
    employee = await otp.viewed()
    challenge_id = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    code = await otp.code_sent(challenge_id)
    # As if the view changed while this challenge was being stored: the gate is closed
    # in the view, the challenge still says active.
    await otp.db["views"].update_one(
        {"_id": employee.employee_id}, {"$set": {"decision.gate.open": False}}
    )

    answer = await otp.verify(challenge_id, code)
    assert (answer.status_code, answer.json()["outcome"]) == (410, "challenge_invalidated")
    assert await challenge_state(otp, challenge_id) == "invalidated"


async def test_a_request_after_a_mobile_correction_sends_a_new_challenge_to_the_new_mobile(
    otp: OtpHarness,
) -> None:
    employee = await otp.viewed()
    old = (await otp.request(employee.family_id, employee.mobile)).json()["challenge_id"]
    old_code = await otp.code_sent(old)
    new_mobile = "9" + employee.mobile[1:][::-1]
    corrected = employee.model_copy(
        update={"mobile": new_mobile, "source_version": employee.source_version + 1}
    )
    await otp.publish(topics.EMPLOYEE_RECORDS, corrected)
    await otp.view(employee.employee_id, version=2)
    # Whether or not the view's change reached the old challenge first, a request must
    # not re-send it: mark it active again, as a request racing the change would find it.
    await otp.db["challenges"].update_one({"_id": old}, {"$set": {"state": "active"}})

    otp.clock.advance(seconds=31)
    sent = await otp.request(employee.family_id, new_mobile)
    assert sent.status_code == 202, sent.text
    new = sent.json()["challenge_id"]
    [message] = await read_topic(
        otp.kafka, topics.SMS_REQUESTS, lambda m: m.get("challenge_id") == new
    )

    assert new != old
    assert sent.json()["send_number"] == 1
    assert message["mobile"] == new_mobile
    assert await challenge_state(otp, old) == "invalidated"
    assert (await otp.verify(old, old_code)).json()["outcome"] == "challenge_invalidated"
    assert (await otp.verify(new, await otp.code_sent(new))).json()["outcome"] == "verified"
