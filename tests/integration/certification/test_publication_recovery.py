"""A state change whose event Kafka never acknowledged is published after a restart,
once, and before anything newer for that certification."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from certification import services
from certification.adapters.kafka import KafkaCertificationEvents
from certification.app import create_app
from certification.domain.access import Principal
from certification.settings import CertificationSettings
from contracts import topics
from servicekit.messaging import make_broker
from tests.factories import unique
from tests.factories.certification import auth, form, seed, submission
from tests.helpers import eventually, read_topic, serving

HRD = Principal("hrd-desk", "hrd", frozenset())


def _unreachable_kafka() -> KafkaCertificationEvents:
    """The real publisher, on a broker address where nothing listens."""
    return KafkaCertificationEvents(
        make_broker("127.0.0.1:1", "certification", CollectorRegistry())
    )


async def test_an_unpublished_effect_is_published_after_a_restart_then_the_revocation(
    cert_settings: CertificationSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    kafka_bootstrap: str,
) -> None:
    office = unique("DDO")
    certs = mongo[cert_settings.mongodb_database]["certifications"]
    first = create_app(cert_settings)
    async with serving(first, "http://cert") as client:
        sub = submission(office)
        await seed(first)
        made = await client.post("/v1/certifications", data=form(sub), headers=auth("ddo", office))
        cert_id = made.json()["id"]
        advice = {"advice_number": "ADV-7", "advice_date": "2026-02-25"}
        await client.post(f"/v1/certifications/{cert_id}/advice", json=advice, headers=auth("hrd"))
        broken = dataclasses.replace(first.state.deps, publisher=_unreachable_kafka())
        await services.activate(broken, HRD, cert_id)
    stored = await certs.find_one({"_id": cert_id})
    assert stored is not None
    assert (stored["state"], stored["version"], stored["published_version"]) == ("effective", 3, 0)

    second = create_app(cert_settings)
    async with second.router.lifespan_context(second):
        await eventually(lambda: certs.find_one({"_id": cert_id, "published_version": 3}))
        transport = httpx.ASGITransport(app=second)
        async with httpx.AsyncClient(transport=transport, base_url="http://cert") as client:
            await client.post(
                f"/v1/certifications/{cert_id}/revoke", json={"reason": "test"}, headers=auth("hrd")
            )

    events = await read_topic(
        kafka_bootstrap, topics.CERTIFICATIONS, lambda e: e["certification_id"] == cert_id, count=2
    )
    assert [(e["event_type"], e["source_version"]) for e in events] == [
        ("CertificationTookEffect", 3),
        ("CertificationRevoked", 4),
    ]
    assert events[0]["event_id"] == f"{cert_id}-v3"
