"""Wiring of the ingest service: the only place things are put together."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from contracts import topics
from contracts.dlq import DeadLetter
from contracts.ingest import EmployeeRecordReceived, MasterDataChanged
from ingest.adapters.kafka import KafkaPublisher
from ingest.adapters.mongo import (
    MongoBatches,
    MongoLinks,
    MongoMasterCodes,
    MongoQuarantine,
    MongoUsage,
    MongoVersioned,
    ensure_indexes,
)
from ingest.http import Api, build_router, guard_rules
from ingest.metrics import IngestMetrics
from ingest.services import Deps
from ingest.settings import IngestSettings
from servicekit.asyncapi import asyncapi_json
from servicekit.messaging import ProducerOptions, make_broker
from servicekit.mongo import open_mongo
from servicekit.runtime import service_app

TITLE = "seva-suraksha ingest service"
DESCRIPTION = "Publishes HKRNL Part-I, T&A e-Billing Part-II and portal master data to Kafka"


def utc_now() -> datetime:
    return datetime.now(UTC)


def _document_topics(broker: KafkaBroker) -> None:
    """Declare what ingest publishes, so the AsyncAPI document shows it."""
    for topic, schema, about in (
        (topics.EMPLOYEE_RECORDS, EmployeeRecordReceived, "Each new or changed employee"),
        (topics.MASTER_DATA, MasterDataChanged, "Each new or changed master-data entity"),
        (topics.dlq(topics.EMPLOYEE_RECORDS), DeadLetter, "Each rejected employee row"),
        (topics.dlq(topics.MASTER_DATA), DeadLetter, "Each rejected master-data row"),
    ):
        broker.publisher(topic, schema=schema, description=about)


def create_app(settings: IngestSettings | None = None) -> FastAPI:
    settings = settings or IngestSettings()
    registry = CollectorRegistry()
    mongo = open_mongo(settings.mongodb_uri, "ingest")
    db = mongo[settings.mongodb_database]
    broker = make_broker(
        settings.kafka_bootstrap_servers,
        "ingest",
        registry,
        settings.consumer_retry_backoff_seconds,
        ProducerOptions(
            max_batch_size=settings.publish_batch_bytes, linger_ms=settings.publish_linger_ms
        ),
    )
    _document_topics(broker)
    metrics = IngestMetrics(registry)
    deps = Deps(
        employees=MongoVersioned(db["employees"]),
        links=MongoLinks(db["links"], settings.link_key.get_secret_value()),
        master=MongoVersioned(db["master_data"]),
        usage=MongoUsage(db["employees"]),
        master_codes=MongoMasterCodes(db["master_data"]),
        quarantine=metrics.counting(MongoQuarantine(db["quarantine"])),
        batches=MongoBatches(db["batches"]),
        publisher=KafkaPublisher(broker, settings.publish_chunk),
        chunk=settings.publish_chunk,
    )
    tokens = {
        "hkrnl": settings.hkrnl_token,
        "ebilling": settings.ebilling_token,
        "master": settings.master_token,
    }
    api = Api(
        deps,
        tokens,
        settings.max_upload_bytes,
        settings.max_push_records,
        metrics,
        utc_now,
        settings.max_push_bytes,
    )

    async def prepare() -> None:
        await ensure_indexes(db)
        await MongoLinks(db["links"], settings.link_key.get_secret_value()).rehash_clear_ids()

    app = service_app(
        title=TITLE,
        description=DESCRIPTION,
        broker=broker,
        mongo=mongo,
        registry=registry,
        routers=[build_router(api)],
        on_startup=[prepare],
        guard_rules=guard_rules(api, settings.max_push_bytes, settings.max_request_bytes),
        max_request_bytes=settings.max_request_bytes,
    )
    app.state.broker = broker
    return app


def asyncapi_document() -> str:
    placeholder = SecretStr("placeholder")
    settings = IngestSettings(
        kafka_bootstrap_servers="kafka:9092",
        hkrnl_token=placeholder,
        ebilling_token=placeholder,
        master_token=placeholder,
        link_key=placeholder,
    )
    app = create_app(settings)
    return asyncapi_json(app.state.broker, TITLE, DESCRIPTION)
