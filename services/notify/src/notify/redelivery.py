"""Scheduled retries: SMS the gateway could not take are tried again, with backoff, by
whichever notify process finds them due, for as long as their code is valid.

The Kafka partition is never held: the request is committed once its send is recorded as
`retrying` in MongoDB (with the request, code still sealed, and when to try next), and
this loop takes due retries under a lease, so a process that dies mid-attempt leaves its
retry to be taken again once the lease ends.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from contracts.otp import SmsRequested
from notify.batching import later_confirmed
from notify.ports import DueRetry
from notify.services import Deps, give_up, message_for, schedule_retry, sent
from servicekit.sealing import SealError

log = logging.getLogger(__name__)
BATCH = 64


async def retry_due(deps: Deps) -> int:
    """One pass: every retry due now, attempted once each, concurrently; returns how many
    once the statuses and dead letters of the pass are acknowledged by the broker."""
    s = deps.settings
    due = await deps.sends.take_due(
        deps.clock(), timedelta(seconds=s.redelivery_lease_seconds), BATCH
    )
    async with later_confirmed():
        await asyncio.gather(*(_retry(deps, item) for item in due))
    deps.metrics.retry_pending.set(await deps.sends.count_retrying())
    return len(due)


async def _retry(deps: Deps, item: DueRetry) -> None:
    key, attempts = item.key, item.attempts
    request = SmsRequested.model_validate_json(item.request)
    if deps.clock() >= request.expires_at:  # taken late: the letter still says why it failed
        await give_up(
            deps,
            key,
            request,
            "code_expired",
            f"{item.reason}; the code expired before the gateway took it",
        )
        return
    try:
        sms = message_for(deps, request)
    except SealError as error:
        await give_up(deps, key, request, "unsealable", str(error))
        return
    result = await deps.gateway.send(sms)
    if result.ok:
        await sent(deps, key, request, sms, result)
    elif not result.retryable:
        await give_up(deps, key, request, "refused", result.error or "gateway refused it")
    else:
        await schedule_retry(deps, key, request, attempts, result.error or "gateway unavailable")


async def run(deps: Deps) -> None:
    """Until cancelled: a pass whenever retries are due, a pause of
    NOTIFY_REDELIVERY_POLL_SECONDS when none is; MongoDB away means the next pass."""
    while True:
        try:
            busy = await retry_due(deps)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning("scheduled retries not run: %s", type(error).__name__)
            busy = 0
        if not busy:
            await asyncio.sleep(deps.settings.redelivery_poll_seconds)
