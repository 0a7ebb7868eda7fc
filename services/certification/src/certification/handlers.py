"""Kafka subscribers of the certification service: the source data it scopes officers by."""

from __future__ import annotations

from typing import Annotated, Any

from faststream import Context
from faststream.kafka import KafkaRouter

from certification.domain.placed import PlacedRecord
from certification.ports import EmployeeDirectory
from contracts import topics
from contracts.ingest import MasterDataChanged
from servicekit.batches import apply_batch, batch_decoder, batch_subscription, held_fetch
from servicekit.messaging import subscription

RECORD_FETCH_MIN_BYTES = 256 * 1024
RECORD_FETCH_MAX_WAIT_MS = 250


def build_router(directory: EmployeeDirectory, group_id: str, record_batch: int) -> KafkaRouter:
    """One consumer group per input topic (`<group>.<topic>`), offsets committed after the
    MongoDB write; a payload that can never parse goes to the topic's DLQ (kit policy).
    Employee records come in batches of up to `record_batch`, one bulk write each, and
    only their placement is decoded (`PlacedRecord`)."""
    router = KafkaRouter()

    @router.subscriber(
        topics.EMPLOYEE_RECORDS,
        decoder=batch_decoder(PlacedRecord),
        **batch_subscription(f"{group_id}.{topics.EMPLOYEE_RECORDS}", record_batch),
        **held_fetch(RECORD_FETCH_MIN_BYTES, RECORD_FETCH_MAX_WAIT_MS),  # as the OTP service's
    )
    async def on_employee_records(
        events: list[PlacedRecord | None],
        message: Annotated[Any, Context("message")],
        broker: Annotated[Any, Context("broker")],
    ) -> None:
        await apply_batch(broker, message, events, PlacedRecord, directory.apply_records)

    @router.subscriber(topics.MASTER_DATA, **subscription(f"{group_id}.{topics.MASTER_DATA}"))
    async def on_master_data(event: MasterDataChanged) -> None:
        await directory.apply_master(event)

    return router
