"""Use cases of notify: exactly one SMS per (challenge, send number). A few quick
attempts on timeouts and 5xx; then, instead of holding the partition, the send is
scheduled for later (`notify.redelivery`) and retried with backoff for as long as its
code is valid; dead-lettered when it expires or the gateway refuses it. Statuses are
published on sms-status.

A batch of requests is claimed in one bulk write; each send's finish is written as soon as
its gateway call returns (sharing a write with the finishes made meanwhile), and its
status is handed to the producer without waiting for the broker: the batch waits for
every acknowledgement before it returns, so no offset is committed before its statuses
are in Kafka."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel

from contracts import topics
from contracts.dlq import DeadLetter
from contracts.notify import SmsState, SmsStatusReported
from contracts.otp import SmsRequested
from notify.batching import confirmed_later, later_confirmed
from notify.domain.templates import render, segments
from notify.metrics import NotifyMetrics
from notify.ports import (
    Claim,
    GatewayResult,
    OutgoingSms,
    QueuedPublisher,
    SendLog,
    SendRecord,
    SendState,
    SmsGateway,
)
from notify.settings import NotifySettings
from servicekit.pii import mask_mobile
from servicekit.sealing import SealError, unseal

log = logging.getLogger(__name__)
STATE_RANK = {"sent": 1, "skipped_expired": 1, "delivered": 2, "failed": 3}


async def _no_hook(_: OutgoingSms) -> None:
    return None


@dataclass(frozen=True)
class Deps:
    gateway: SmsGateway
    sends: SendLog
    publish: QueuedPublisher
    settings: NotifySettings
    metrics: NotifyMetrics
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    # Runs after the gateway accepted a message, before anything is recorded: a crash here
    # is the "sent but not committed" case the idempotency record must survive.
    after_gateway: Callable[[OutgoingSms], Awaitable[None]] = _no_hook


def backoff(attempt: int, base: float, cap: float) -> float:
    """Full jitter: a random pause up to base * 2^attempt, never above cap."""
    return random.uniform(0, min(cap, base * 2**attempt))  # jitter, not secrecy


def message_for(deps: Deps, request: SmsRequested) -> OutgoingSms:
    s = deps.settings
    code = unseal(s.sms_seal_key.get_secret_value(), request.sealed_code)
    minutes = max(1, round((request.expires_at - request.occurred_at).total_seconds() / 60))
    template, template_id = (
        (s.template_hi, s.dlt_template_id_hi)
        if request.locale == "hi"
        else (s.template_en, s.dlt_template_id_en)
    )
    text = render(template, code, str(minutes))
    return OutgoingSms(
        mobile=request.mobile,
        text=text,
        unicode=segments(text).unicode,
        template_id=template_id,
        client_ref=f"{request.challenge_id}:{request.send_number}",
        locale=request.locale,
    )


def key_of(request: SmsRequested) -> str:
    return f"{request.challenge_id}:{request.send_number}"


async def send_many(deps: Deps, requests: Sequence[SmsRequested]) -> None:
    """Send a batch: its claims in one bulk write, then different challenges at the same
    time, each challenge's sends in order; a request that is in the batch twice is sent
    once and reported twice. Every send is attempted and every status confirmed by the
    broker; then the first failure (if any) is raised, so the batch is delivered again
    and the sends already made are recognised, not repeated."""
    firsts: dict[str, SmsRequested] = {}
    by_challenge: dict[str, list[SmsRequested]] = {}
    for request in requests:
        firsts.setdefault(key_of(request), request)
        by_challenge.setdefault(request.challenge_id, []).append(request)

    async with later_confirmed():
        records = await deps.sends.claim_many(
            [Claim(key, r.challenge_id, r.send_number) for key, r in firsts.items()]
        )

        async def in_order(sends: list[SmsRequested]) -> None:
            done: dict[str, SendState] = {}
            for request in sends:
                key = key_of(request)
                if key not in done:
                    done[key] = await send_claimed(deps, request, records[key])
                elif (state := done[key]) != "retrying" and state != "sending":
                    # the same request again: reported, not sent
                    await report(deps, request.challenge_id, request.send_number, state)

        results = await asyncio.gather(
            *(in_order(sends) for sends in by_challenge.values()), return_exceptions=True
        )
        if failure := next((r for r in results if isinstance(r, BaseException)), None):
            raise failure


async def send_claimed(deps: Deps, request: SmsRequested, record: SendRecord) -> SendState:
    """Send the SMS a claimed request asks for, at most once, and report what happened."""
    key = record.key
    if record.state == "retrying":  # scheduled for later already: the retries own it
        return "retrying"
    if record.state != "sending":  # already handled: report again, send nothing
        await report(deps, request.challenge_id, request.send_number, record.state)
        return record.state
    if deps.clock() >= request.expires_at:
        deps.metrics.outcome("skipped_expired")
        await deps.sends.finish(key, "skipped_expired", None, "expired before sending")
        await report(deps, request.challenge_id, request.send_number, "skipped_expired")
        return "skipped_expired"

    try:
        sms = message_for(deps, request)
    except SealError as error:  # sealed under another key: can never be sent
        await give_up(deps, key, request, "unsealable", str(error))
        return "failed"
    result = await _attempts(deps, sms)
    if result.ok:
        await sent(deps, key, request, sms, result)
        return "sent"
    reason = result.error or "gateway refused the message"
    if not result.retryable:
        await give_up(deps, key, request, "refused", reason)
        return "failed"
    await schedule_retry(deps, key, request, 0, reason)
    return "retrying"


async def sent(
    deps: Deps, key: str, request: SmsRequested, sms: OutgoingSms, result: GatewayResult
) -> None:
    """The gateway took the message: record it at once (the window in which a crash
    makes the next process send it again ends here), then report it."""
    await deps.after_gateway(sms)
    await deps.sends.finish(key, "sent", result.message_id, None)
    deps.metrics.outcome("sent")
    await report(
        deps, request.challenge_id, request.send_number, "sent", message_id=result.message_id
    )


async def give_up(deps: Deps, key: str, request: SmsRequested, kind: str, reason: str) -> None:
    """Failed for good: recorded, dead-lettered (`kind` labels the metrics), reported."""
    await deps.sends.finish(key, "failed", None, reason)
    deps.metrics.outcome("failed", kind)
    await dead_letter(deps, request, reason, kind)
    await report(deps, request.challenge_id, request.send_number, "failed", reason=reason)


async def schedule_retry(
    deps: Deps, key: str, request: SmsRequested, attempts: int, reason: str
) -> None:
    """Try again later (with backoff), or give up if the code will have expired by then."""
    s = deps.settings
    due = deps.clock() + timedelta(
        seconds=backoff(attempts, s.redelivery_base_seconds, s.redelivery_cap_seconds)
    )
    if due >= request.expires_at:
        await give_up(
            deps,
            key,
            request,
            "code_expired",
            f"{reason}; the code expired before it could be sent",
        )
        return
    await deps.sends.schedule(key, request.model_dump_json(), attempts + 1, due, reason)
    deps.metrics.outcome("retry_scheduled", "gateway_unavailable")


async def _attempts(deps: Deps, sms: OutgoingSms) -> GatewayResult:
    s = deps.settings
    result = GatewayResult(ok=False, retryable=True, error="not attempted")
    for attempt in range(s.retry_attempts):
        if attempt:
            await deps.sleep(backoff(attempt - 1, s.retry_base_seconds, s.retry_cap_seconds))
        result = await deps.gateway.send(sms)
        if result.ok or not result.retryable:
            return result
        log.warning(
            "gateway attempt %d for %s failed: %s",
            attempt + 1,
            mask_mobile(sms.mobile),
            result.error,
        )
    return result


async def publish(deps: Deps, topic: str, event: BaseModel) -> None:
    """Hand `event` to the producer; confirmed now, or with the batch (`later_confirmed`)."""
    await confirmed_later(await deps.publish(topic, event))


async def report(
    deps: Deps,
    challenge_id: str,
    send_number: int,
    state: SmsState,
    message_id: str | None = None,
    reason: str | None = None,
) -> None:
    await publish(
        deps,
        topics.SMS_STATUS,
        SmsStatusReported(
            producer="notify",
            correlation_id=challenge_id,
            partition_key=challenge_id,
            source_version=send_number * 10 + STATE_RANK[state],
            challenge_id=challenge_id,
            send_number=send_number,
            state=state,
            reason=reason,
            gateway_message_id=message_id,
            at=deps.clock(),
        ),
    )


async def dead_letter(deps: Deps, request: SmsRequested, reason: str, kind: str) -> None:
    """The request (its code still sealed) goes to the DLQ with the reason; counted in
    `seva_dead_letters_total{reason=kind}` like every other dead letter."""
    letter = DeadLetter(
        source_topic=topics.SMS_REQUESTS,
        source_key=request.challenge_id,
        consumer="notify",
        reason=reason,
        payload=request.model_dump_json(),
        failed_at=deps.clock(),
    )
    await publish(deps, topics.dlq(topics.SMS_REQUESTS), letter)
    deps.metrics.dead_letters.labels("notify", topics.SMS_REQUESTS, kind).inc()


async def delivery_report(deps: Deps, ref: str, delivered: bool, reason: str | None) -> bool:
    """A gateway's delivery report, matched by our client reference or its message id."""
    record = await deps.sends.by_message(ref)
    if record is None:
        return False
    deps.metrics.outcome(
        "delivered" if delivered else "undelivered", "" if delivered else _kind(reason)
    )
    await report(
        deps,
        record.challenge_id,
        record.send_number,
        "delivered" if delivered else "failed",
        message_id=record.message_id,
        reason=reason,
    )
    return True


# Gateway delivery-report statuses kept as metric labels; anything else is "other".
DELIVERY_FAILURES = frozenset({"UNDELIV", "EXPIRED", "REJECTD", "DELETED", "UNKNOWN", "FAILED"})


def _kind(reason: str | None) -> str:
    word = (reason or "").strip().upper()
    return word if word in DELIVERY_FAILURES else "other"
