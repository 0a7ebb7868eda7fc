"""Kafka subscribers of notify: contract in, use case, contract out."""

from __future__ import annotations

from faststream.kafka import KafkaRouter

from contracts import topics
from contracts.otp import SmsRequested
from notify import services
from servicekit.messaging import subscription


def build_router(deps: services.Deps, group_id: str) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(
        topics.SMS_REQUESTS, **subscription(group_id, deps.settings.consumer_workers)
    )
    async def on_sms_requested(event: SmsRequested) -> None:
        await services.send_sms(deps, event)

    return router
