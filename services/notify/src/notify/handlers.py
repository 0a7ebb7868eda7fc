"""Kafka subscribers of notify: contract in, use case, contract out."""

from __future__ import annotations

from typing import Annotated, Any

from faststream import Context
from faststream.kafka import KafkaRouter

from contracts import topics
from contracts.otp import SmsRequested
from notify import services
from servicekit.batches import apply_batch, batch_decoder, batch_subscription


def build_router(deps: services.Deps, group_id: str) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        topics.SMS_REQUESTS,
        decoder=batch_decoder(SmsRequested),
        **batch_subscription(group_id, deps.settings.send_batch_size),
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
