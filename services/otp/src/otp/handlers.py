"""Kafka subscribers of the OTP service: contract in, use case, contract out."""

from __future__ import annotations

from dataclasses import dataclass

from faststream.kafka import KafkaRouter

from contracts import topics
from contracts.ingest import MasterDataChanged
from otp.ports import MasterDataStore


@dataclass(frozen=True)
class Deps:
    master_data: MasterDataStore


def build_router(deps: Deps, group_id: str) -> KafkaRouter:
    router = KafkaRouter()

    @router.subscriber(topics.MASTER_DATA, group_id=group_id, auto_offset_reset="earliest")
    async def on_master_data(event: MasterDataChanged) -> None:
        await deps.master_data.apply(event)

    return router
