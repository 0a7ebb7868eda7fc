"""The portal client's per-minute cap, claimed by each process a share at a time: what all
processes let through never passes the cap, and a busy client costs one round trip per
share (on the real mongod)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from otp.adapters.guards import MongoGuards
from tests.factories import unique

NOW = datetime(2031, 3, 3, 10, 0, 5, tzinfo=UTC)


async def test_two_processes_together_let_through_no_more_than_the_cap(mongo: Any) -> None:
    db = mongo[unique("otp")]
    workers = [MongoGuards(db), MongoGuards(db)]  # one per process: their own claims
    limit = 1000  # a share of 10

    async def one(index: int) -> int | None:
        return await workers[index % 2].allow("client:portal", limit, 60, NOW)

    answers = await asyncio.gather(*(one(index) for index in range(1200)))

    let_through = sum(1 for wait in answers if wait is None)
    assert limit - 10 <= let_through <= limit
    assert {wait for wait in answers if wait is not None} == {55}
    counter = await db["guards"].find_one({"_id": {"$regex": "^rate:client:portal:"}})
    assert counter is not None
    # One claim at a time per process: past the cap, at most one more share each.
    assert counter["count"] <= limit + 2 * 10
    # The next minute starts afresh.
    assert await workers[0].allow("client:portal", limit, 60, NOW + timedelta(minutes=1)) is None


async def test_a_small_cap_is_counted_one_by_one(mongo: Any) -> None:
    db = mongo[unique("otp")]
    workers = [MongoGuards(db), MongoGuards(db)]

    answers = [await workers[i % 2].allow("client:portal", 3, 60, NOW) for i in range(5)]

    assert answers == [None, None, None, 55, 55]
