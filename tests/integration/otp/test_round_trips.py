"""MongoDB commands the portal's calls cost, counted with PyMongo's command monitoring on
the service's own client against the real mongod, and pinned: a check added to the request
path must come with a design that keeps the round trips (docs/benchmarks.md lists them)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

import pytest
from pymongo import AsyncMongoClient, monitoring

from contracts.ingest import EmployeeRecordReceived
from otp.app import create_app
from servicekit import mongo as servicekit_mongo
from tests.helpers import serving
from tests.integration.otp.conftest import Clock, OtpHarness, otp_settings, start_at_end

# The commands docs/benchmarks.md gives ("MongoDB commands per call"); change both together.
# A first send: the look-up (views with their guards, and refusal counters), the
# employee's guard and the per-mobile count (one bulk write), the challenge (the live one
# to this mobile, or a new one). The portal client's allowance is claimed a share at a
# time, by the warm-up request here.
FIRST_SEND_COMMANDS = ["aggregate views", "update guards", "findAndModify challenges"]
# A re-send while the challenge lives: the same commands, the live challenge counted up.
RESEND_COMMANDS = FIRST_SEND_COMMANDS
# A verification: the challenge with its view and guard, then its use.
VERIFICATION_COMMANDS = ["aggregate challenges", "update challenges"]

# The commands of the call being counted: set in the test's task, so the service's Kafka
# consumers (their own tasks, started earlier) are not counted when events of other tests
# on the shared topics reach them meanwhile.
_counting: ContextVar[list[str] | None] = ContextVar("counting", default=None)


class CountCommands(monitoring.CommandListener):
    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if (commands := _counting.get()) is not None:
            commands.append(f"{event.command_name} {_collection(event)}")

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def _collection(event: monitoring.CommandStartedEvent) -> str:
    name = event.command.get(event.command_name)
    return str(name) if isinstance(name, str) else ""


@contextmanager
def counted() -> Iterator[list[str]]:
    commands: list[str] = []
    token = _counting.set(commands)
    try:
        yield commands
    finally:
        _counting.reset(token)


@pytest.fixture
async def monitored(
    kafka_bootstrap: str, mongodb_uri: str, mongo: Any, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[OtpHarness]:
    """The OTP service whose MongoDB client reports every command it sends."""
    # open_mongo's own options, and the listener: the client the service opens is watched
    watched = partial(AsyncMongoClient, event_listeners=[CountCommands()])
    monkeypatch.setattr(servicekit_mongo, "AsyncMongoClient", watched)
    settings = otp_settings(kafka_bootstrap, mongodb_uri)
    await start_at_end(settings)
    clock = Clock()
    app = create_app(settings, clock=clock)
    async with serving(app, "http://otp") as client:
        yield OtpHarness(client, settings, clock, kafka_bootstrap, mongo[settings.mongodb_database])


async def sent(harness: OtpHarness, someone: EmployeeRecordReceived) -> dict[str, Any]:
    """An OTP request for `someone`, accepted."""
    answer = await harness.request(someone.family_id, someone.mobile)
    assert answer.status_code == 202, answer.text
    return dict(answer.json())


async def test_a_first_send_and_its_verification_make_the_pinned_round_trips(
    monitored: OtpHarness,
) -> None:
    employee, other = await monitored.viewed(), await monitored.viewed()
    await sent(monitored, other)  # warm-up

    with counted() as first_send:
        challenge_id = (await sent(monitored, employee))["challenge_id"]
    code = await monitored.code_sent(challenge_id)
    with counted() as verification:
        verified = await monitored.verify(challenge_id, code)
    assert verified.status_code == 200, verified.text

    assert sorted(first_send) == sorted(FIRST_SEND_COMMANDS), first_send
    assert verification == VERIFICATION_COMMANDS


async def test_a_re_send_finds_the_live_challenge_in_the_pinned_round_trips(
    monitored: OtpHarness,
) -> None:
    employee, other = await monitored.viewed(), await monitored.viewed()
    first = await sent(monitored, employee)
    monitored.clock.advance(seconds=monitored.settings.send_cooldown_seconds + 1)
    # the client's allowance of the minute the clock is in now, claimed before counting
    await sent(monitored, other)  # warm-up

    with counted() as resend:
        again = await monitored.request(employee.family_id, employee.mobile)

    assert again.status_code == 202, again.text
    assert again.json()["challenge_id"] == first["challenge_id"]
    assert again.json()["send_number"] == 2
    assert sorted(resend) == sorted(RESEND_COMMANDS), resend
    code = await monitored.code_sent(first["challenge_id"], send_number=2)
    verified = await monitored.verify(first["challenge_id"], code)
    assert verified.json()["outcome"] == "verified", verified.text
