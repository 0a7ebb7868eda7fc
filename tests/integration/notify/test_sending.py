"""Notify against real Kafka, MongoDB and the fake gateway over HTTP: one SMS per
challenge, retries, the DLQ, expiry, templates and delivery reports."""

from __future__ import annotations

import httpx

from contracts import topics
from notify.app import create_app
from notify.domain.templates import matches
from notify.ports import OutgoingSms
from tests.helpers import eventually, read_topic
from tests.integration.notify.conftest import REPORT_TOKEN, NotifyHarness


def status_of(challenge_id: str, state: str) -> object:
    return lambda m: m.get("challenge_id") == challenge_id and m.get("state") == state


async def test_a_redelivered_request_sends_one_sms(harness: NotifyHarness) -> None:
    request = harness.request(mobile="9811100001")
    app = create_app(harness.settings)
    async with app.router.lifespan_context(app):
        await harness.publish(request)
        await harness.publish(request)  # the same request again, as a redelivery would
        await read_topic(
            harness.kafka, topics.SMS_STATUS, status_of(request.challenge_id, "sent"), 2
        )

    got = await harness.received("9811100001")
    assert len(got["messages"]) == 1
    assert got["calls"] == 1


async def test_a_restart_between_send_and_commit_does_not_send_twice(
    harness: NotifyHarness,
) -> None:
    request = harness.request(mobile="9811100002")
    crashed: list[str] = []

    async def crash(sms: OutgoingSms) -> None:
        crashed.append(sms.client_ref)
        raise RuntimeError("process killed after the gateway call (simulated)")

    first = create_app(harness.settings, after_gateway=crash)
    async with first.router.lifespan_context(first):
        await harness.publish(request)
        await eventually(lambda: _async(bool(crashed)))
    second = create_app(harness.settings)  # a new process, same group and database
    async with second.router.lifespan_context(second):
        await read_topic(harness.kafka, topics.SMS_STATUS, status_of(request.challenge_id, "sent"))

    got = await harness.received("9811100002")
    assert len(got["messages"]) == 1
    assert got["calls"] >= 2  # the gateway was called again and recognised the reference


async def test_5xx_and_timeouts_are_retried_and_4xx_is_not(harness: NotifyHarness) -> None:
    app = create_app(harness.settings)
    async with app.router.lifespan_context(app):
        await harness.control(fail_status=503, fail_count=2)
        retried = harness.request(mobile="9811100003")
        await harness.publish(retried)
        await read_topic(harness.kafka, topics.SMS_STATUS, status_of(retried.challenge_id, "sent"))
        assert (await harness.received())["calls"] == 3

        await harness.control(hang_seconds=1.0, fail_count=1)
        timed_out = harness.request(mobile="9811100004")
        await harness.publish(timed_out)
        await read_topic(
            harness.kafka, topics.SMS_STATUS, status_of(timed_out.challenge_id, "sent")
        )
        assert (await harness.received())["calls"] == 5

        await harness.control(fail_status=400, fail_count=1)
        refused = harness.request(mobile="9811100005")
        await harness.publish(refused)
        [failed] = await read_topic(
            harness.kafka, topics.SMS_STATUS, status_of(refused.challenge_id, "failed")
        )
        assert (await harness.received())["calls"] == 6
        assert failed["reason"] == "gateway answered HTTP 400"


async def test_a_send_the_gateway_never_takes_is_dead_lettered_when_its_code_expires(
    harness: NotifyHarness,
) -> None:
    request = harness.request(mobile="9811100006", code="735194", expires_in=3)
    app = create_app(harness.settings)
    async with app.router.lifespan_context(app):
        await harness.control(fail_status=502, fail_count=10_000)
        await harness.publish(request)
        [failed] = await read_topic(
            harness.kafka, topics.SMS_STATUS, status_of(request.challenge_id, "failed")
        )
        page = (await httpx.ASGITransport(app=app).handle_async_request(_get("/metrics"))).stream
        metrics = b"".join([chunk async for chunk in page]).decode()  # type: ignore[union-attr]

    [letter] = await read_topic(
        harness.kafka,
        topics.dlq(topics.SMS_REQUESTS),
        lambda m: m.get("source_key") == request.challenge_id,
    )
    assert "the code expired" in letter["reason"]
    assert "HTTP 502" in letter["reason"]
    assert failed["reason"] == letter["reason"]
    assert "735194" not in letter["payload"]
    # retried after the quick attempts, from the schedule, until the code expired
    assert (await harness.received())["calls"] > harness.settings.retry_attempts
    assert (
        'seva_dead_letters_total{reason="code_expired",service="notify",topic="sms-requests.v1"}'
        " 1.0" in metrics
    )


def _get(path: str) -> httpx.Request:
    return httpx.Request("GET", f"http://notify{path}")


async def test_an_expired_request_is_never_sent(harness: NotifyHarness) -> None:
    request = harness.request(mobile="9811100007", expires_in=-1)
    app = create_app(harness.settings)
    async with app.router.lifespan_context(app):
        await harness.publish(request)
        await read_topic(
            harness.kafka, topics.SMS_STATUS, status_of(request.challenge_id, "skipped_expired")
        )
    assert (await harness.received())["calls"] == 0


async def test_english_and_hindi_texts_match_their_registered_templates(
    harness: NotifyHarness,
) -> None:
    english = harness.request(mobile="9811100008", code="111222")
    hindi = harness.request(mobile="9811100009", code="333444", locale="hi")
    app = create_app(harness.settings)
    async with app.router.lifespan_context(app):
        for request in (english, hindi):
            await harness.publish(request)
        for request in (english, hindi):
            await read_topic(
                harness.kafka, topics.SMS_STATUS, status_of(request.challenge_id, "sent")
            )

    [en] = (await harness.received("9811100008"))["messages"]
    [hi] = (await harness.received("9811100009"))["messages"]
    s = harness.settings
    assert matches(s.template_en, en["content"])
    assert en["content"].startswith("111222 is your OTP")
    assert (en["dlt_template_id"], en["smsservicetype"]) == (s.dlt_template_id_en, "otpmsg")
    assert matches(s.template_hi, hi["content"])
    assert "333444" in hi["content"]
    assert (hi["dlt_template_id"], hi["smsservicetype"]) == (s.dlt_template_id_hi, "unicodemsg")
    assert en["senderid"] == hi["senderid"] == "HRYGOV"
    assert en["dlt_entity_id"] == s.dlt_entity_id


async def test_delivery_reports_reach_sms_status(harness: NotifyHarness) -> None:
    request = harness.request(mobile="9811100010")
    app = create_app(harness.settings)
    async with app.router.lifespan_context(app):
        await harness.publish(request)
        await read_topic(harness.kafka, topics.SMS_STATUS, status_of(request.challenge_id, "sent"))
        [message] = (await harness.received("9811100010"))["messages"]
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://notify") as client:
            denied = await client.post(
                "/v1/delivery-reports", json={"msgid": message["msgid"], "status": "DELIVRD"}
            )
            accepted = await client.post(
                "/v1/delivery-reports",
                json={"msgid": message["msgid"], "status": "DELIVRD"},
                headers={"X-Report-Token": REPORT_TOKEN},
            )
    assert denied.status_code == 401
    assert accepted.json() == {"status": "recorded"}
    [delivered] = await read_topic(
        harness.kafka, topics.SMS_STATUS, status_of(request.challenge_id, "delivered")
    )
    assert delivered["source_version"] > 11


async def _async(value: bool) -> bool:
    return value
