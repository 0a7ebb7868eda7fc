"""Publishing certification events to Kafka."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from certification.domain.events import Event
from contracts import topics
from contracts.certification import CertificationRevoked, CertificationTookEffect
from servicekit.messaging import publish_event


def declare_publisher(broker: KafkaBroker) -> None:
    """Declares the topic and its payloads so the AsyncAPI document shows them."""
    broker.publisher(
        topics.CERTIFICATIONS,
        title="certifications",
        description="Verified overrides: an effective certification, or its revocation. "
        "Keyed by employee id; source_version is the certification's version.",
        schema=CertificationTookEffect | CertificationRevoked,
    )


class KafkaCertificationEvents:
    """Publishes under the employee id (acks=all, idempotent producer)."""

    def __init__(self, broker: KafkaBroker) -> None:
        self.broker = broker

    async def publish(self, event: Event) -> None:
        await publish_event(self.broker, topics.CERTIFICATIONS, event)
