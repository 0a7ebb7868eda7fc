"""What a challenge stores, what it stays bound to, and what a success clears, on the
real broker and mongod."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from contracts import topics
from servicekit.sealing import SealError, unseal
from tests.factories.otp import person
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
    employee = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
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
    employee = person()
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
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
