"""Kafka or mongod stops under load and comes back: /readyz reports the outage while it
lasts, the services recover without anyone acting, and every request answered 202 before,
during or after it gets exactly one SMS. A service started while Kafka is away comes up,
says so, and connects when Kafka returns."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from contracts import topics
from tests.factories.otp import record
from tests.fault.helpers import Generated, assert_one_sms_per_challenge, request
from tests.helpers import produce
from tests.stack import Stack, wait_until

# A whole system started, crashed and healed: more than the suite's default 300 s.
pytestmark = pytest.mark.timeout(900)

SERVICES = ("ingest", "certification", "otp", "notify")


class Load:
    """Portal requests for fresh people from a few threads until stopped."""

    def __init__(self, stack: Stack, people: list[dict[str, Any]]) -> None:
        self.stack, self.people = stack, iter(people)
        self.answers: list[tuple[int, str | None]] = []
        self.lock, self.done = threading.Lock(), threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=4)

    def __enter__(self) -> Load:
        for _ in range(4):
            self.pool.submit(self._run)
        return self

    def __exit__(self, *_: object) -> None:
        self.done.set()
        self.pool.shutdown(wait=True)

    def _run(self) -> None:
        while not self.done.is_set():
            with self.lock:
                person = next(self.people, None)
            if person is None:
                return
            answer = request(self.stack, person)
            with self.lock:
                self.answers.append(answer)

    def accepted(self) -> list[str]:
        with self.lock:
            return [challenge for _, challenge in self.answers if challenge]


def down(stack: Stack, service: str, check: str) -> bool:
    status, body = stack.ready(service)
    return status == 503 and body["checks"][check] != "ok"


def all_ready(stack: Stack) -> bool:
    return all(stack.ready(service)[0] == 200 for service in SERVICES)


def outage(stack: Stack, people: list[dict[str, Any]], server: str, check: str) -> None:
    with Load(stack, people) as load:
        wait_until("requests accepted before the outage", lambda: len(load.accepted()) >= 20)
        stack.servers("down", server)
        for service in ("otp", "notify"):
            wait_until(f"{service} to report {check} down", lambda s=service: down(stack, s, check))
        stack.servers("up", server)
        wait_until("every service ready again", lambda: all_ready(stack), 180)
        recovered = len(load.accepted())
        wait_until("requests accepted after it", lambda: len(load.accepted()) >= recovered + 20)
    assert_one_sms_per_challenge(stack, load.accepted())


def test_a_kafka_outage_under_load_is_reported_and_healed_without_anyone_acting(
    stack: Stack, ingested: Generated
) -> None:
    outage(stack, ingested.ready_people()[400:1400], "kafka", "kafka")


def test_a_mongod_outage_under_load_is_reported_and_healed_without_anyone_acting(
    stack: Stack, ingested: Generated
) -> None:
    outage(stack, ingested.ready_people()[1400:2400], "mongod", "mongodb")


def test_a_service_started_while_kafka_is_down_comes_up_and_connects_when_kafka_returns(
    stack: Stack, ingested: Generated, db: Any
) -> None:
    stack.services("down", "otp")
    stack.servers("down", "kafka")
    try:
        stack.services("up", "otp")  # returns once /healthz answers
        assert down(stack, "otp", "kafka")
    finally:
        stack.servers("up", "kafka")
    wait_until("otp to be ready", lambda: stack.ready("otp")[0] == 200, 180)

    event = record()  # its consumers joined: a record published now reaches the view
    body, key = event.model_dump_json().encode(), event.employee_id.encode()
    asyncio.run(produce(f"127.0.0.1:{stack.kafka_port}", topics.EMPLOYEE_RECORDS, body, key))
    views = db["seva_otp"]["views"]
    wait_until("the record in the view", lambda: views.find_one({"_id": event.employee_id}))

    status, challenge = request(stack, ingested.ready_people()[2400])  # and its producer
    assert status == 202
    assert challenge is not None
    assert_one_sms_per_challenge(stack, [challenge])
