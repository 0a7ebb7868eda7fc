"""Delivery statuses from notify, taken in batches: the newest of a challenge wins in any
order, and a status whose version MongoDB cannot hold is dead-lettered alone instead of
stalling its batch (on the real broker and mongod)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from contracts import topics
from contracts.notify import SmsStatusReported
from tests.factories.otp import sms_status
from tests.helpers import eventually, produce, read_topic
from tests.integration.otp.conftest import OtpHarness


def status(challenge_id: str, state: str, version: int, otp: OtpHarness) -> SmsStatusReported:
    return sms_status(challenge_id, state, version, otp.clock())


async def test_the_newest_status_wins_and_an_unstorable_version_is_dead_lettered(
    otp: OtpHarness,
) -> None:
    # A challenge of this test alone (no SMS request, so no notify anywhere answers it).
    challenge_id = uuid.uuid4().hex
    now = otp.clock()
    await otp.db["challenges"].insert_one(
        {
            "_id": challenge_id,
            "challenge_id": challenge_id,
            "employee_id": f"E-{challenge_id[:8]}",
            "client": "hkcl-portal",
            "code_hash": "0" * 64,
            "created_at": now,
            "expires_at": now + timedelta(minutes=10),
            "delivery": "queued",
            "delivery_version": 0,
        }
    )
    poison = status(challenge_id, "failed", 1, otp).model_dump_json()
    poison = poison.replace('"source_version":1', f'"source_version":{2**64}')
    await produce(otp.kafka, topics.SMS_STATUS, poison.encode(), challenge_id.encode())
    for state, version in (("delivered", 3), ("sent", 2)):  # out of order
        await otp.publish(topics.SMS_STATUS, status(challenge_id, state, version, otp))

    async def delivered() -> bool:
        doc = await otp.db["challenges"].find_one({"_id": challenge_id})
        return doc is not None and (doc["delivery"], doc["delivery_version"]) == ("delivered", 3)

    await eventually(delivered)
    # (OTP services of other stacks on a shared broker may letter it too, for their reason)
    await read_topic(
        otp.kafka,
        topics.dlq(topics.SMS_STATUS),
        lambda m: (
            m.get("source_key") == challenge_id
            and m.get("consumer") == "otp"
            and m.get("field") == "source_version"
        ),
    )
