"""`python -m notify dlq replay`: a dead-lettered SMS whose code is still valid is queued
again and sent once; one whose code expired is reported, not sent; replaying again sends
nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contracts import topics
from notify.app import create_app
from notify.cli import replay_dead_letters
from tests.helpers import read_topic
from tests.integration.notify.conftest import NotifyHarness
from tests.integration.notify.test_sending import status_of


async def test_a_replay_sends_what_is_still_valid_once_and_reports_the_rest(
    harness: NotifyHarness,
) -> None:
    started = datetime.now(UTC)
    valid = harness.request(mobile="9811100031", expires_in=600)
    expiring = harness.request(mobile="9811100032", expires_in=20)  # expired at `later`
    app = create_app(harness.settings)
    async with app.router.lifespan_context(app):
        await harness.control(fail_status=403, fail_count=2)  # refused: dead-lettered at once
        for request in (valid, expiring):
            await harness.publish(request)
            await read_topic(
                harness.kafka, topics.SMS_STATUS, status_of(request.challenge_id, "failed")
            )
        assert (await harness.received())["messages"] == []

        argv = [
            "--since",
            (started - timedelta(seconds=1)).isoformat(),
            "--challenge",
            valid.challenge_id,
            "--challenge",
            expiring.challenge_id,
        ]
        later = datetime.now(UTC) + timedelta(seconds=30)  # the short code has expired by then
        lines = await replay_dead_letters(harness.settings, argv, now=later)
        assert lines[0] == "replayed 1; not replayed 1"
        assert f"  replayed {valid.challenge_id}:1" in lines
        [expired] = [line for line in lines if expiring.challenge_id in line]
        assert "code expired at" in expired

        await read_topic(harness.kafka, topics.SMS_STATUS, status_of(valid.challenge_id, "sent"))
        again = await replay_dead_letters(harness.settings, argv, now=later)
        assert again[0] == "replayed 0; not replayed 2"
        assert any("not failed any more (sent)" in line for line in again)

    assert len((await harness.received("9811100031"))["messages"]) == 1
    assert (await harness.received("9811100032"))["messages"] == []
