"""Kafka subscribers of notify: contract in, use case, contract out."""

from __future__ import annotations

from typing import Annotated, Any

from faststream import Context
from faststream.kafka import KafkaRouter

from contracts import topics
from contracts.otp import SmsRequested
from notify import services
from servicekit.batches import apply_batch, batch_decoder, batch_subscription, lingering


def build_router(deps: services.Deps, group_id: str) -> KafkaRouter:
    router = KafkaRouter()
    s = deps.settings

    @lingering(
        router.subscriber(
            topics.SMS_REQUESTS,
            decoder=batch_decoder(SmsRequested),
            **batch_subscription(group_id, s.send_batch_size),
        ),
        s.send_linger_ms,
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
