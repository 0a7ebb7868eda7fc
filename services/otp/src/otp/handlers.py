"""Kafka subscribers of the OTP service: contract in, use case, contract out."""

from __future__ import annotations

from typing import Annotated, Any

from faststream import Context
from faststream.kafka import KafkaRouter

from contracts import topics
from contracts.certification import CertificationEvent
from contracts.envelope import Envelope
from contracts.ingest import EmployeeRecordReceived, MasterDataChanged
from contracts.notify import SmsStatusReported
from otp import services
from otp.domain.challenge import Delivery
from otp.metrics import OtpMetrics
from otp.ports import MasterDataStore
from servicekit.batches import apply_batch, batch_decoder, batch_subscription, held_fetch
from servicekit.messaging import subscription

# During an upload, a consumer that has caught up fetched every few records (a fetch
# request, a batch and a commit each); it now waits up to 250 ms for 256 KiB (about 128
# records of 2 KB). A lone record (an HKRNL push) waits at most those 250 ms.
RECORD_FETCH_MIN_BYTES = 256 * 1024
RECORD_FETCH_MAX_WAIT_MS = 250
# Delivery statuses (two an SMS, about 350 bytes each) are not waited for by anyone at
# once: the broker holds a fetch until this much is there or `OTP_STATUS_LINGER_MS` has
# passed (`held_fetch`).
STATUS_FETCH_MIN_BYTES = 64 * 1024

DELIVERY: dict[str, Delivery] = {
    "sent": "sent",
    "delivered": "delivered",
    "failed": "failed",
    "skipped_expired": "failed",
}


def build_router(
    deps: services.Deps, master_data: MasterDataStore, metrics: OtpMetrics, group_id: str
) -> KafkaRouter:
    """One consumer group per input topic (`<group>.<topic>`): a topic's consumers
    rebalance among themselves only, so one slow join never stalls another topic."""
    router = KafkaRouter()
    workers = deps.settings.consumer_workers

    def observed(topic: str, event: Envelope, changed: bool) -> None:
        metrics.view_lag.labels(topic).set(
            max(0.0, (deps.clock() - event.occurred_at).total_seconds())
        )
        if changed:
            metrics.view_changes.labels(topic).inc()

    @router.subscriber(
        topics.EMPLOYEE_RECORDS,
        decoder=batch_decoder(EmployeeRecordReceived),
        **batch_subscription(
            f"{group_id}.{topics.EMPLOYEE_RECORDS}", deps.settings.record_batch_size
        ),
        **held_fetch(RECORD_FETCH_MIN_BYTES, RECORD_FETCH_MAX_WAIT_MS),
    )
    async def on_employee_records(
        events: list[EmployeeRecordReceived | None],
        message: Annotated[Any, Context("message")],
        broker: Annotated[Any, Context("broker")],
    ) -> None:
        valid, changed = await apply_batch(
            broker,
            message,
            events,
            EmployeeRecordReceived,
            lambda records: services.apply_records(deps, records),
        )
        for index, event in enumerate(valid):
            observed(topics.EMPLOYEE_RECORDS, event, index in changed)

    @router.subscriber(
        topics.CERTIFICATIONS, **subscription(f"{group_id}.{topics.CERTIFICATIONS}", workers)
    )
    async def on_certification(event: CertificationEvent) -> None:
        changed = await services.apply_event(deps, event.employee_id, event)
        observed(topics.CERTIFICATIONS, event, changed)

    @router.subscriber(topics.MASTER_DATA, **subscription(f"{group_id}.{topics.MASTER_DATA}"))
    async def on_master_data(event: MasterDataChanged) -> None:
        observed(topics.MASTER_DATA, event, await master_data.apply(event))

    @router.subscriber(
        topics.SMS_STATUS,
        decoder=batch_decoder(SmsStatusReported),
        **batch_subscription(f"{group_id}.{topics.SMS_STATUS}", deps.settings.status_batch_size),
        **held_fetch(STATUS_FETCH_MIN_BYTES, deps.settings.status_linger_ms),
    )
    async def on_sms_status(
        events: list[SmsStatusReported | None],
        message: Annotated[Any, Context("message")],
        broker: Annotated[Any, Context("broker")],
    ) -> None:
        valid, _ = await apply_batch(
            broker,
            message,
            events,
            SmsStatusReported,
            lambda statuses: services.record_deliveries(
                deps, [(e.challenge_id, DELIVERY[e.state], e.source_version) for e in statuses]
            ),
        )
        for event in valid:
            observed(topics.SMS_STATUS, event, True)

    return router
