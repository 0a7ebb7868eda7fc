"""Malformed and truncated events on every input topic of the OTP service go to the
topic's DLQ with a reason, and the consumer goes on with the next event."""

from __future__ import annotations

import pytest

from contracts import topics
from tests.factories import master_data, unique
from tests.factories.otp import certification, record, sms_status
from tests.helpers import eventually, produce, read_topic
from tests.integration.otp.conftest import OtpHarness

GOOD = {
    topics.EMPLOYEE_RECORDS: lambda: record(),
    topics.CERTIFICATIONS: lambda: certification(f"ebilling:{unique('E')}"),
    topics.MASTER_DATA: lambda: master_data(),
    topics.SMS_STATUS: lambda: sms_status(unique("ch"), "sent", 1),
}


@pytest.mark.parametrize("topic", list(GOOD))
async def test_bad_events_are_dead_lettered_and_the_next_good_one_is_applied(
    otp: OtpHarness, topic: str
) -> None:
    good = GOOD[topic]()
    body = good.model_dump_json().encode()
    key = unique("hostile").encode()
    hostile = [
        body[: len(body) // 2],  # truncated
        b"\xff\xfe not utf-8",
        b"[1, 2, 3]",
        body.replace(b'"source_version":', b'"source_version":-'),  # fails its contract
    ]
    for payload in hostile:
        await produce(otp.kafka, topic, payload, key)
    await otp.publish(topic, good)

    letters = await read_topic(
        otp.kafka,
        topics.dlq(topic),
        lambda m: m.get("source_key") == key.decode() and m.get("consumer") == "otp",
        count=4,
    )
    assert all(letter["reason"] for letter in letters)
    assert {letter["source_topic"] for letter in letters} == {topic}

    if topic == topics.EMPLOYEE_RECORDS:
        await otp.view(good.employee_id)  # type: ignore[attr-defined]
    elif topic == topics.MASTER_DATA:
        await eventually(lambda: otp.db["master_data"].find_one({"code": good.code}))  # type: ignore[attr-defined]
    elif topic == topics.CERTIFICATIONS:
        await otp.view(good.employee_id)  # type: ignore[attr-defined]
