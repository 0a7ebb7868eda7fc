"""Malformed, truncated, wrongly shaped and oversized events, and events holding what no
MongoDB document can (an integer past 64 bits), on every topic a service
consumes go to `<topic>.dlq` with a reason, and the consumer goes on: the valid event
published after them (on the same partition) is applied."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from contracts import topics
from contracts.envelope import Envelope
from tests.factories import master_data, unique
from tests.factories.otp import certification, record, sms_status
from tests.fuzz.dead_letters import (
    consumed_topics,
    dead_letters_since,
    declared_consumers,
    hostile_payloads,
    now_ms,
)
from tests.helpers import eventually, produce, read_topic
from tests.integration.notify.conftest import NotifyHarness
from tests.integration.otp.conftest import OtpHarness

Harness = Any


@dataclass(frozen=True)
class Target:
    """How to make a valid event for a topic, and how to see that it was applied."""

    make: Callable[[Harness], Awaitable[Envelope]]
    applied: Callable[[Harness, Any], Awaitable[object]]


async def _record(h: OtpHarness) -> Envelope:
    return record()


async def _master(h: OtpHarness) -> Envelope:
    return master_data()


async def _certification(h: OtpHarness) -> Envelope:
    return certification(f"ebilling:{unique('E')}")


async def _sms_status(h: OtpHarness) -> Envelope:
    """A delivery report for a real challenge: a record, then an OTP request."""
    employee = await h.viewed()
    response = await h.request(employee.family_id or "", employee.mobile or "")
    assert response.status_code == 202, response.text
    challenge_id = response.json()["challenge_id"]
    # above any status another notify on a shared broker may report for the request
    return sms_status(challenge_id, "delivered", 10**9)


async def _sms_request(h: NotifyHarness) -> Envelope:
    return h.request(mobile="9811100009")


async def _view_exists(h: OtpHarness, event: Any) -> object:
    return await h.view(event.employee_id)


async def _certified(h: OtpHarness, event: Any) -> object:
    async def probe() -> bool:
        doc = await h.db["views"].find_one({"_id": event.employee_id})
        return bool(doc and event.certification_id in doc.get("certifications", {}))

    return await eventually(probe)


async def _master_stored(h: OtpHarness, event: Any) -> object:
    return await eventually(lambda: h.db["master_data"].find_one({"code": event.code}))


async def _delivered(h: OtpHarness, event: Any) -> object:
    async def probe() -> bool:
        response = await h.client.get(
            f"/v1/otp/requests/{event.challenge_id}",
            headers={"Authorization": f"Bearer {h.settings.portal_token.get_secret_value()}"},
        )
        return response.json().get("delivery") == "delivered"

    return await eventually(probe)


async def _sms_sent(h: NotifyHarness, event: Any) -> object:
    return await read_topic(
        h.kafka,
        topics.SMS_STATUS,
        lambda m: m.get("challenge_id") == event.challenge_id and m.get("state") == "sent",
    )


TARGETS: dict[str, Target] = {
    topics.EMPLOYEE_RECORDS: Target(_record, _view_exists),
    topics.MASTER_DATA: Target(_master, _master_stored),
    topics.CERTIFICATIONS: Target(_certification, _certified),
    topics.SMS_STATUS: Target(_sms_status, _delivered),
    topics.SMS_REQUESTS: Target(_sms_request, _sms_sent),
}
CONSUMED = consumed_topics()


def test_every_consumed_topic_is_fuzzed_and_matches_the_topic_registry() -> None:
    assert {topic: {service} for topic, service in CONSUMED.items()} == declared_consumers()
    assert set(TARGETS) == set(CONSUMED)


async def hostile_then_valid(h: Harness, topic: str, consumer: str) -> None:
    target = TARGETS[topic]
    good = await target.make(h)
    body = good.model_dump_json().encode()
    key = good.partition_key.encode()  # one partition: the good event comes after the bad
    hostile = hostile_payloads(body)
    if consumer == "notify":  # stores no version: a huge one is a valid request to send
        del hostile["an integer past 64 bits"]
    since = now_ms()
    for payload in hostile.values():
        await produce(h.kafka, topic, payload, key)
    await produce(h.kafka, topic, body, key)

    letters = await dead_letters_since(
        h.kafka,
        topic,
        since,
        # a letter of the consumer's policy names its offset; another notify on a shared
        # broker that reads the same request dead-letters it by itself, without one
        lambda m: (
            m.get("source_key") == key.decode()
            and m.get("consumer") == consumer
            and m.get("source_offset") is not None
        ),
        count=len(hostile),
    )
    await target.applied(h, good)  # the consumer kept going

    assert {letter["source_topic"] for letter in letters} == {topic}
    assert len({letter["source_offset"] for letter in letters}) == len(hostile)
    assert all(letter["reason"] for letter in letters)
    # One partition, so the letters come in the order the payloads were published.
    letter_for = dict(zip(hostile, sorted(letters, key=lambda m: m["source_offset"]), strict=True))
    missing = letter_for["required fields missing"]
    assert missing["field"].rsplit(".", 1)[-1] in {"source_version", "partition_key"}
    assert "source_version: Field required" in missing["reason"]
    retyped = letter_for["a field of the wrong type"]
    assert retyped["field"].rsplit(".", 1)[-1] == "source_version"
    assert "valid integer" in retyped["reason"]
    if "an integer past 64 bits" in letter_for:
        reason = letter_for["an integer past 64 bits"]["reason"]
        assert "cannot be stored" in reason or "past what can be stored" in reason
    assert letter_for["oversized"]["payload"] == hostile["oversized"].decode()
    assert "payload cut to its first" in letter_for["oversized and not UTF-8"]["reason"]


OTP_TOPICS = sorted(t for t, service in CONSUMED.items() if service == "otp")
NOTIFY_TOPICS = sorted(t for t, service in CONSUMED.items() if service == "notify")


@pytest.mark.parametrize("topic", OTP_TOPICS)
async def test_otp_dead_letters_hostile_events_and_applies_the_next_valid_one(
    otp: OtpHarness, topic: str
) -> None:
    await hostile_then_valid(otp, topic, "otp")


@pytest.mark.parametrize("topic", NOTIFY_TOPICS)
async def test_notify_dead_letters_hostile_events_and_applies_the_next_valid_one(
    notify: NotifyHarness, topic: str
) -> None:
    await hostile_then_valid(notify, topic, "notify")
