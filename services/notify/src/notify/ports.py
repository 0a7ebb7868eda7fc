"""What the notify use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from pydantic import BaseModel

SendState = Literal["sending", "retrying", "sent", "failed", "skipped_expired"]


@dataclass(frozen=True)
class OutgoingSms:
    mobile: str
    text: str
    unicode: bool
    template_id: str
    client_ref: str = ""  # our idempotency key; the gateway deduplicates on it
    locale: str = "en"  # picks each gateway's own DLT template id


@dataclass(frozen=True)
class GatewayResult:
    ok: bool
    retryable: bool = False
    message_id: str | None = None
    error: str | None = None


class SmsGateway(Protocol):
    """An SMS gateway: one call sends one message (or says why not)."""

    async def send(self, sms: OutgoingSms) -> GatewayResult: ...


@dataclass(frozen=True)
class SendRecord:
    key: str  # "<challenge id>:<send number>"
    challenge_id: str
    send_number: int
    state: SendState
    message_id: str | None = None


@dataclass(frozen=True)
class Claim:
    key: str  # "<challenge id>:<send number>"
    challenge_id: str
    send_number: int


class SendLog(Protocol):
    """The idempotency record of each (challenge, send number), written before sending."""

    async def claim_many(self, claims: Sequence[Claim]) -> dict[str, SendRecord]:
        """For each claim (keys distinct), create its record in state `sending` or find the
        one that exists; by key. One bulk write for the lot (and one read of the records
        that existed already, if any did)."""
        ...

    async def finish(
        self, key: str, state: SendState, message_id: str | None, reason: str | None
    ) -> None:
        """Record how a send ended; returns once it is written (finishes made meanwhile
        by other sends may share the write)."""
        ...

    async def by_message(self, ref: str) -> SendRecord | None:
        """The record whose client reference or gateway message id is `ref`."""
        ...

    async def schedule(
        self, key: str, request: str, attempts: int, next_attempt_at: datetime, reason: str
    ) -> None:
        """State `retrying`: the request (its code still sealed) is tried again from
        `next_attempt_at` by whichever process finds it due (`take_due`)."""
        ...

    async def take_due(self, now: datetime, lease: timedelta, limit: int) -> list[DueRetry]:
        """Retries due at `now`, each leased for `lease` (moved that far ahead) so no
        other process takes it meanwhile; one whose process died comes due again."""
        ...

    async def count_retrying(self) -> int: ...

    async def reopen_failed(self, key: str) -> bool:
        """Forget a failed send so that a replayed request is sent; False unless failed."""
        ...


@dataclass(frozen=True)
class DueRetry:
    key: str
    request: str  # the SmsRequested JSON
    attempts: int
    reason: str = "gateway unavailable"  # why the last attempt failed


class Publisher(Protocol):
    """Publishes an event (keyed by its partition key) or a dead letter (by source key)."""

    async def __call__(self, topic: str, event: BaseModel) -> None: ...


class QueuedPublisher(Protocol):
    """Hands an event (or a dead letter) to the producer and returns once it is queued;
    the awaitable it returns completes when the broker has acknowledged it, and raises if
    it was not (`notify.batching.later_confirmed` waits for a batch's together)."""

    async def __call__(self, topic: str, event: BaseModel) -> Awaitable[object]: ...
