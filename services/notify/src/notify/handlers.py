"""Kafka subscribers of notify: contract in, use case, contract out."""

from __future__ import annotations

from typing import Annotated, Any

from faststream import Context
from faststream.kafka import KafkaRouter

from contracts import topics
from contracts.otp import SmsRequested
from notify import services
from servicekit.batches import apply_batch, batch_decoder, batch_subscription, held_fetch

# About a batch of SMS requests (each some 650 bytes): a fetch that finds this much is
# answered at once, else after `NOTIFY_SEND_LINGER_MS` (`held_fetch`).
SEND_FETCH_MIN_BYTES = 32 * 1024


def build_router(deps: services.Deps, group_id: str) -> KafkaRouter:
    router = KafkaRouter()
    s = deps.settings

    @router.subscriber(
        topics.SMS_REQUESTS,
        decoder=batch_decoder(SmsRequested),
        **batch_subscription(group_id, s.send_batch_size),
        **held_fetch(SEND_FETCH_MIN_BYTES, s.send_linger_ms),
    )
    async def on_sms_requested(
        events: list[SmsRequested | None],
        message: Annotated[Any, Context("message")],
        broker: Annotated[Any, Context("broker")],
    ) -> None:
        await apply_batch(
            broker,
            message,
            events,
            SmsRequested,
            lambda requests: services.send_many(deps, requests),
        )

    return router
