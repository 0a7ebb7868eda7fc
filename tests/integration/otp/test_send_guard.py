"""A send decided on the employee's guard as the request's look-up read it: one bulk write
on condition that the guard still holds what was read; when a send or a lock came in
between, nothing is counted and the request takes the two findAndModify commands."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from otp.adapters.guards import KEEP_MARGIN, MongoGuards
from otp.domain.challenge import Admitted
from otp.domain.lookup import SendGuard
from tests.factories import unique
from tests.integration.otp.conftest import OtpHarness

NOW = datetime(2031, 5, 5, 10, 0, 0, tzinfo=UTC)
HOUR = 3600


async def _send(guards: MongoGuards, read: SendGuard, limits: tuple[int, int] = (5, 5)) -> Any:
    return await guards.send_as_read(
        "E1", read, limits, HOUR, 30, NOW, sent_to="mobile-key", live_seconds=600
    )


# Where the employee's last send went and when: whether a challenge to another mobile may
# still be live. An unrecorded mobile may be another; past a challenge's life, none is.
LAST_SENDS = [
    (None, None, Admitted(others_live=False)),
    (timedelta(minutes=5), "mobile-key", Admitted(others_live=False)),
    (timedelta(minutes=5), "other-key", Admitted(others_live=True)),
    (timedelta(minutes=5), None, Admitted(others_live=True)),
    (timedelta(minutes=9, seconds=59), "other-key", Admitted(others_live=True)),
    (timedelta(minutes=20), "mobile-key", Admitted(others_live=False)),
    (timedelta(minutes=20), "other-key", Admitted(others_live=False)),
]


@pytest.mark.parametrize(("ago", "sent_to", "expected"), LAST_SENDS)
async def test_both_ways_of_admitting_a_send_tell_whether_another_may_be_live(
    mongo: Any, ago: timedelta | None, sent_to: str | None, expected: Admitted
) -> None:
    last = None if ago is None else NOW - ago
    stored = {"sends": 1, "send_window": 0, "last_send_at": last, "locked_until": None}
    if sent_to is not None:
        stored["last_sent_to"] = sent_to
    as_read, fallback = MongoGuards(mongo[unique("otp")]), MongoGuards(mongo[unique("otp")])
    for guards in (as_read, fallback):
        await guards.collection.insert_one({"_id": "employee:E1", **stored})

    read = SendGuard(last_send_at=last, last_sent_to=sent_to, sends=1, send_window=0)
    decided = await _send(as_read, read)
    admitted = await fallback.admit_send(
        "E1", 5, HOUR, 30, NOW, sent_to="mobile-key", live_seconds=600
    )

    assert decided == (expected, None)
    assert admitted == expected


async def test_a_send_late_in_the_hour_keeps_the_guard_while_its_challenge_may_live(
    mongo: Any,
) -> None:
    late = NOW + timedelta(minutes=55)  # the count's window ends in 5 minutes, the code in 10
    as_read, fallback = MongoGuards(mongo[unique("otp")]), MongoGuards(mongo[unique("otp")])

    decided = await as_read.send_as_read(
        "E1", SendGuard(), (5, 5), HOUR, 30, late, sent_to="mobile-key", live_seconds=600
    )
    admitted = await fallback.admit_send(
        "E1", 5, HOUR, 30, late, sent_to="mobile-key", live_seconds=600
    )

    assert decided == (Admitted(others_live=False), None)
    assert admitted == Admitted(others_live=False)
    for guards in (as_read, fallback):
        guard = await guards.collection.find_one({"_id": "employee:E1"})
        assert guard is not None
        assert guard["purge_at"] == late + timedelta(seconds=600) + KEEP_MARGIN


async def test_a_guard_changed_since_the_look_up_counts_nothing(mongo: Any) -> None:
    db = mongo[unique("otp")]
    guards = MongoGuards(db)
    earlier = NOW - timedelta(minutes=5)
    await db["guards"].insert_one(
        {"_id": "employee:E1", "last_send_at": earlier, "sends": 1, "send_window": 0}
    )
    # read before a send at `earlier` landed: the stored guard no longer holds it
    stale = SendGuard()

    assert await _send(guards, stale) is None
    guard = await db["guards"].find_one({"_id": "employee:E1"})
    assert guard is not None
    assert guard["sends"] == 1
    assert guard["last_send_at"] == earlier
    mobile = await db["guards"].find_one({"_id": {"$regex": "^rate:mobile:"}})
    assert mobile is None or mobile["count"] == 0, "the mobile's count was given back"


async def test_a_guard_as_read_is_counted_with_the_mobile_in_one_write(mongo: Any) -> None:
    db = mongo[unique("otp")]
    guards = MongoGuards(db)

    first = await _send(guards, SendGuard(), limits=(5, 1))
    again = await _send(guards, SendGuard(last_send_at=NOW - timedelta(hours=2)), (5, 1))
    stored = await db["guards"].find_one({"_id": "employee:E1"})

    assert first == (Admitted(others_live=False), None)
    assert again is None, "the read no longer matches the guard the first send wrote"
    assert stored is not None
    assert stored["sends"] == 1
    assert stored["last_sent_to"] == "mobile-key"
    [mobile] = await db["guards"].find({"_id": {"$regex": "^rate:mobile:"}}).to_list()
    assert mobile["count"] == 1


async def test_a_mobile_at_its_limit_is_refused_by_the_same_write(mongo: Any) -> None:
    db = mongo[unique("otp")]
    guards = MongoGuards(db)
    start = int(NOW.timestamp()) // HOUR * HOUR
    await db["guards"].insert_one({"_id": f"rate:mobile:mobile-key:{start}", "count": 2})

    admitted, mobile_wait = await _send(guards, SendGuard(), limits=(5, 2))

    assert admitted == Admitted(others_live=False)
    assert mobile_wait == HOUR - NOW.minute * 60
    mobile = await db["guards"].find_one({"_id": f"rate:mobile:mobile-key:{start}"})
    assert mobile is not None
    assert mobile["count"] == 2


async def test_concurrent_first_sends_to_one_employee_pass_the_cool_down_once(
    otp: OtpHarness,
) -> None:
    employee = await otp.viewed()

    answers = await asyncio.gather(
        *(otp.request(employee.family_id, employee.mobile) for _ in range(6))
    )

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [202] + [429] * 5, [a.text for a in answers]
    guard = await otp.db["guards"].find_one({"_id": f"employee:{employee.employee_id}"})
    assert guard is not None
    assert guard["sends"] == 1
