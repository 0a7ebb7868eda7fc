"""MongoDB adapter of the guards: rate limits, send cool-downs, refusal counts, wrong-code
counts and locks, in the `guards` collection. Ids hold no mobile or Family ID in clear:
the guards get keyed hashes.

Write concern: the counters a send passes (`allow`, `hit`, `admit_send`) are written with
w:1, not waiting for the journal; the challenge written next (with the default majority
write concern) is acknowledged only once the oplog and journal hold everything written
before it, so an accepted send is as durable as before. Refusal counts and wrong-code
counts, the last write of their calls, wait for the majority."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument, UpdateOne, WriteConcern
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from otp.domain.challenge import Admitted, Held, lock_duration
from otp.domain.lookup import SendGuard

Doc = dict[str, Any]
DUPLICATE_KEY = 11000
Admission = tuple[tuple[Held, int] | Admitted, int | None]
# A share of a client's window claimed at once: at most 1 % of the limit, at most this.
MAX_CLAIM = 100
# A guard outlives the challenge it sent by this much at least (`_kept`).
KEEP_MARGIN = timedelta(minutes=1)


@dataclass
class Claim:
    """What this process holds of a client's allowance in one window. One claim is made at
    a time (`lock`): the requests arriving meanwhile wait for it and spend from it."""

    window: int
    left: int = 0
    spent: bool = False  # the window's allowance is used up: nobody gets more in it
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class MongoGuards:
    """Fixed-window counters for rate limits; per-employee failure counts and locks."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self.collection = db["guards"]
        self.counters = self.collection.with_options(write_concern=WriteConcern(w=1))
        self.claims: dict[str, Claim] = {}

    async def allow(self, key: str, limit: int, window_seconds: int, now: datetime) -> int | None:
        """`hit`, with the count claimed from MongoDB a share at a time (1 % of `limit`, at
        most `MAX_CLAIM`: exact below 200) and spent in this process, so a busy client costs
        one round trip per share. What the processes claimed never passes `limit`; a share
        left unspent when the window ends lets through that many requests fewer."""
        start = int(now.timestamp()) // window_seconds * window_seconds
        end = datetime.fromtimestamp(start + window_seconds, tz=now.tzinfo)
        wait = max(1, int((end - now).total_seconds()))
        claim = self.claims.get(key)
        if claim is None or claim.window != start:
            claim = self.claims[key] = Claim(start)
        async with claim.lock:
            if claim.left == 0 and not claim.spent:
                claim.left = await self._claim(key, limit, start, end)
                claim.spent = claim.left == 0
            if claim.spent:
                return wait
            claim.left -= 1
            return None

    async def _claim(self, key: str, limit: int, start: int, end: datetime) -> int:
        """Add a share to the window's count; how much of it is within `limit`."""
        share = max(1, min(MAX_CLAIM, limit // 100))
        doc = await self.counters.find_one_and_update(
            {"_id": f"rate:{key}:{start}"},
            {"$inc": {"count": share}, "$setOnInsert": {"purge_at": end}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None  # upserted
        return max(0, min(share, limit - (int(doc["count"]) - share)))

    async def hit(self, key: str, limit: int, window_seconds: int, now: datetime) -> int | None:
        start = int(now.timestamp()) // window_seconds * window_seconds
        end = datetime.fromtimestamp(start + window_seconds, tz=now.tzinfo)
        doc = await self.counters.find_one_and_update(
            {"_id": f"rate:{key}:{start}"},
            {"$inc": {"count": 1}, "$setOnInsert": {"purge_at": end}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None  # upserted
        if doc["count"] <= limit:
            return None
        return max(1, int((end - now).total_seconds()))

    async def unhit(self, key: str, window_seconds: int, now: datetime) -> None:
        start = int(now.timestamp()) // window_seconds * window_seconds
        await self.collection.update_one({"_id": f"rate:{key}:{start}"}, {"$inc": {"count": -1}})

    async def admit_send(
        self,
        employee_id: str,
        limit: int,
        window_seconds: int,
        cooldown: int,
        now: datetime,
        sent_to: str,
        live_seconds: int,
    ) -> tuple[Held, int] | Admitted:
        """One round trip on the employee's guard document: unless they are locked or
        cooling down, count one send in the current window and record the mobile (keyed
        hash) it goes to, answering whether a challenge to another one may still be live
        (the last send less than `live_seconds` ago went elsewhere, or is not recorded).
        Locks and failure counts live in the same document, so it is kept as long as the
        longer of its purposes needs (`_kept`)."""
        start = int(now.timestamp()) // window_seconds * window_seconds
        end = datetime.fromtimestamp(start + window_seconds, tz=now.tzinfo)
        # A missing lock or last send compares below any date.
        locked = {"$gt": ["$locked_until", now]}
        cooling = {"$gt": ["$last_send_at", now - timedelta(seconds=cooldown)]}
        held = {"$or": [locked, cooling]}
        sends = {"$cond": [{"$eq": ["$send_window", start]}, {"$ifNull": ["$sends", 0]}, 0]}
        elsewhere = {
            "$and": [
                {"$gt": ["$last_send_at", now - timedelta(seconds=live_seconds)]},
                {"$ne": [{"$ifNull": ["$last_sent_to", ""]}, sent_to]},
            ]
        }
        doc = await self.counters.find_one_and_update(
            {"_id": f"employee:{employee_id}"},
            [
                {
                    "$set": {
                        "admitted": {"$not": [held]},
                        "others_live": elsewhere,
                        "sends": {"$cond": [held, "$sends", {"$add": [sends, 1]}]},
                        "send_window": {"$cond": [held, "$send_window", start]},
                        "last_send_at": {"$cond": [held, "$last_send_at", now]},
                        "last_sent_to": {"$cond": [held, "$last_sent_to", sent_to]},
                        "purge_at": {"$max": ["$purge_at", _kept(end, now, live_seconds)]},
                    }
                }
            ],
            projection={"failures": 0, "locks": 0},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None  # upserted
        until = doc.get("locked_until")
        if until is not None and until > now:
            return "challenge_locked", max(1, int((until - now).total_seconds()))
        if not doc["admitted"]:
            ready = doc["last_send_at"] + timedelta(seconds=cooldown)
            return "rate_limited", max(1, math.ceil((ready - now).total_seconds()))
        if doc["sends"] <= limit:
            return Admitted(others_live=bool(doc["others_live"]))
        return "rate_limited", max(1, int((end - now).total_seconds()))

    async def send_as_read(
        self,
        employee_id: str,
        read: SendGuard,
        limits: tuple[int, int],
        window_seconds: int,
        cooldown: int,
        now: datetime,
        sent_to: str,
        live_seconds: int,
    ) -> Admission | None:
        """`admit_send` and the mobile's `hit` in one command, decided on the employee's
        guard as the request's look-up read it: held (locked, cooling down) is answered
        from the read alone; else one bulk write counts the send on the guard, on
        condition that it still holds the lock and last send that were read, and against
        the mobile, on condition that its count is below its limit (`limits`: per
        employee, per mobile). A condition that fails makes the upsert meet the stored
        `_id`: a duplicate key. The guard changed since the read (a send or a lock
        racing): None, nothing counted (the mobile's count is given back), and the caller
        takes `admit_send`. Else the admission and the mobile's wait, as `admit_send` and
        `hit` would have answered them."""
        employee_limit, mobile_limit = limits
        start = int(now.timestamp()) // window_seconds * window_seconds
        end = datetime.fromtimestamp(start + window_seconds, tz=now.tzinfo)
        if read.locked_until is not None and read.locked_until > now:
            wait = max(1, int((read.locked_until - now).total_seconds()))
            return ("challenge_locked", wait), None
        last = read.last_send_at
        if last is not None and last > now - timedelta(seconds=cooldown):
            ready = last + timedelta(seconds=cooldown)
            return ("rate_limited", max(1, math.ceil((ready - now).total_seconds()))), None
        if mobile_limit < 1:  # nothing may be sent: `hit` answers that
            return None
        sends = (read.sends if read.send_window == start else 0) + 1
        recent = last is not None and last > now - timedelta(seconds=live_seconds)
        others_live = recent and (read.last_sent_to or "") != sent_to
        writes = [
            UpdateOne(
                {
                    "_id": f"employee:{employee_id}",
                    "locked_until": read.locked_until,
                    "last_send_at": last,
                },
                {
                    "$set": {
                        "sends": sends,
                        "send_window": start,
                        "last_send_at": now,
                        "last_sent_to": sent_to,
                    },
                    "$max": {"purge_at": _kept(end, now, live_seconds)},
                },
                upsert=True,
            )
        ]
        if sends <= employee_limit:  # over it, no SMS goes: the mobile is not counted
            writes.append(
                UpdateOne(
                    {"_id": f"rate:mobile:{sent_to}:{start}", "count": {"$lt": mobile_limit}},
                    {"$inc": {"count": 1}, "$setOnInsert": {"purge_at": end}},
                    upsert=True,
                )
            )
        failed: set[int] = set()
        try:
            await self.counters.bulk_write(writes, ordered=False)
        except BulkWriteError as error:
            errors = error.details["writeErrors"]
            if any(e["code"] != DUPLICATE_KEY for e in errors):
                raise
            failed = {e["index"] for e in errors}
        window_left = max(1, int((end - now).total_seconds()))
        if 0 in failed:
            if len(writes) == 2 and 1 not in failed:
                await self.unhit(f"mobile:{sent_to}", window_seconds, now)
            return None
        if sends > employee_limit:
            return ("rate_limited", window_left), None
        return Admitted(others_live=others_live), window_left if 1 in failed else None

    async def count_refusal(
        self, keys: Sequence[str], window_seconds: int, now: datetime
    ) -> list[int]:
        start = int(now.timestamp()) // window_seconds * window_seconds
        end = datetime.fromtimestamp(start + window_seconds, tz=now.tzinfo)
        docs = await asyncio.gather(
            *(
                self.collection.find_one_and_update(
                    {"_id": f"refusal:{key}:{start}"},
                    {"$inc": {"count": 1}, "$setOnInsert": {"purge_at": end}},
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
                for key in keys
            )
        )
        return [int(doc["count"]) if doc else 1 for doc in docs]

    async def add_failure(
        self, employee_id: str, threshold: int, first_lock: int, longest_lock: int, now: datetime
    ) -> bool:
        doc = await self.collection.find_one_and_update(
            {"_id": f"employee:{employee_id}"},
            {"$inc": {"failures": 1}, "$set": {"purge_at": now + timedelta(days=7)}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None  # upserted
        if doc["failures"] < threshold:
            return False
        locks = int(doc.get("locks", 0))
        await self.collection.update_one(
            {"_id": f"employee:{employee_id}"},
            {
                "$set": {
                    "failures": 0,
                    "locks": locks + 1,
                    "locked_until": now + lock_duration(locks, first_lock, longest_lock),
                }
            },
        )
        return True

    async def clear_failures(self, employee_id: str) -> None:
        await self.collection.update_one(
            {"_id": f"employee:{employee_id}", "failures": {"$gt": 0}}, {"$set": {"failures": 0}}
        )


def _kept(window_end: datetime, now: datetime, live_seconds: int) -> datetime:
    """How long an employee's guard is kept after a send: to the end of its count's window,
    and at least as long as the challenge sent may live (and `KEEP_MARGIN` more: the purge
    runs on mongod's clock), so that what the guard says of the live challenges
    (`Admitted.others_live`) holds for as long as one can be live."""
    return max(window_end, now + timedelta(seconds=live_seconds) + KEEP_MARGIN)
