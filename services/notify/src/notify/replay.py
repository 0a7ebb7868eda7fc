"""Replaying dead-lettered SMS: `python -m notify dlq replay [--since T] [--challenge ID]`.

Every letter notify wrote to `sms-requests.v1.dlq` (since T) whose code is still valid is
queued again on `sms-requests.v1`: its failed send record is forgotten first, so notify sends
it once; one already sent (replayed before, or sent after all) is left alone. The rest are
reported with why: the code expired, or the letter is not an SMS request notify could read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from contracts import topics
from contracts.dlq import DeadLetter
from contracts.otp import SmsRequested
from notify.ports import Publisher, SendLog


@dataclass
class ReplayReport:
    replayed: list[str] = field(default_factory=list)  # challenge:send keys queued again
    not_replayed: dict[str, str] = field(default_factory=dict)  # key -> why not

    def lines(self) -> list[str]:
        out = [f"replayed {len(self.replayed)}; not replayed {len(self.not_replayed)}"]
        out += [f"  replayed {key}" for key in self.replayed]
        out += [f"  not replayed {key}: {why}" for key, why in sorted(self.not_replayed.items())]
        return out


async def replay(
    letters: Iterable[DeadLetter],
    sends: SendLog,
    publish: Publisher,
    now: datetime,
    since: datetime | None = None,
    wanted: Callable[[str], bool] = lambda _: True,
) -> ReplayReport:
    """Queue again each SMS request dead-lettered by notify (after `since`) whose code is
    valid at `now`; `wanted(challenge id)` narrows the letters looked at."""
    report = ReplayReport()
    seen: set[str] = set()
    for letter in letters:
        if letter.source_topic != topics.SMS_REQUESTS or letter.consumer != "notify":
            continue
        if since is not None and letter.failed_at < since:
            continue
        try:
            request = SmsRequested.model_validate_json(letter.payload)
        except ValidationError:
            ref = f"{letter.source_key or '?'} (offset {letter.source_offset})"
            if wanted(letter.source_key or ""):
                report.not_replayed[ref] = "not an SMS request notify can read"
            continue
        key = f"{request.challenge_id}:{request.send_number}"
        if key in seen or not wanted(request.challenge_id):
            continue  # a letter may have been written twice
        seen.add(key)
        if request.expires_at <= now:
            report.not_replayed[key] = f"code expired at {request.expires_at.isoformat()}"
            continue
        if not await sends.reopen_failed(key):
            record = await sends.by_message(key)
            if record is not None:
                report.not_replayed[key] = f"not failed any more ({record.state})"
                continue
        await publish(topics.SMS_REQUESTS, request)
        report.replayed.append(key)
    return report


def parse_args(argv: Sequence[str]) -> tuple[datetime | None, set[str]]:
    """`dlq replay [--since ISO-8601 with offset] [--challenge ID ...]`."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m notify dlq replay")
    parser.add_argument("--since", type=datetime.fromisoformat, default=None)
    parser.add_argument("--challenge", action="append", default=[])
    args = parser.parse_args(argv)
    if args.since is not None and args.since.tzinfo is None:
        parser.error("--since: give a time zone, e.g. 2026-02-01T00:00:00+05:30")
    return args.since, set(args.challenge)
