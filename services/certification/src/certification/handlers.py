"""Kafka subscribers of the certification service: the source data it scopes officers by."""

from __future__ import annotations

from faststream.kafka import KafkaRouter

from certification.ports import EmployeeDirectory
from contracts import topics
from contracts.ingest import EmployeeRecordReceived, MasterDataChanged
from servicekit.messaging import subscription


def build_router(directory: EmployeeDirectory, group_id: str, workers: int) -> KafkaRouter:
    """One consumer group per input topic (`<group>.<topic>`), offsets committed after the
    MongoDB write; a payload that can never parse goes to the topic's DLQ (kit policy)."""
    router = KafkaRouter()

    @router.subscriber(
        topics.EMPLOYEE_RECORDS,
        **subscription(f"{group_id}.{topics.EMPLOYEE_RECORDS}", workers),
    )
    async def on_employee_record(event: EmployeeRecordReceived) -> None:
        await directory.apply_record(event)

    @router.subscriber(topics.MASTER_DATA, **subscription(f"{group_id}.{topics.MASTER_DATA}"))
    async def on_master_data(event: MasterDataChanged) -> None:
        await directory.apply_master(event)

    return router
