"""The two ways a new challenge is stored: inserted (`add`, the guard showed none to
re-send) or upserted by `live_or_new`. Either way the stored document is the same, and a
challenge added is the live one a re-send then finds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from otp.adapters.mongo_challenges import MongoChallenges
from otp.domain.challenge import Challenge
from tests.factories import unique

NOW = datetime(2031, 5, 5, 10, 0, 0, tzinfo=UTC)


def new_challenge(challenge_id: str) -> Challenge:
    return Challenge(
        challenge_id=challenge_id,
        employee_id="E1",
        mobile_key="mobile-key",
        client="portal",
        code_hash="hash",
        code_nonce="nonce",
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=10),
    )


async def test_a_challenge_added_is_stored_as_live_or_new_would_store_it(mongo: Any) -> None:
    added, upserted = MongoChallenges(mongo[unique("otp")]), MongoChallenges(mongo[unique("otp")])

    await added.add(new_challenge("C1"))
    stored = await upserted.live_or_new(new_challenge("C1"), NOW)

    assert stored == new_challenge("C1")
    projection = {"_id": 0}
    assert await added.collection.find_one({}, projection) == await upserted.collection.find_one(
        {}, projection
    )
    assert (await added.collection.find_one({}))["_id"] == "C1"


async def test_a_challenge_added_is_the_live_one_a_re_send_finds(mongo: Any) -> None:
    challenges = MongoChallenges(mongo[unique("otp")])
    await challenges.add(new_challenge("C1"))

    again = await challenges.live_or_new(new_challenge("C2"), NOW + timedelta(minutes=1))

    assert again.challenge_id == "C1"
    assert again.send_number == 2
    assert await challenges.get("C2") is None
