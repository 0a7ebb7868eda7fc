"""Wiring of the ingest service: the only place things are put together."""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from ingest.settings import IngestSettings
from servicekit.asyncapi import asyncapi_json
from servicekit.messaging import make_broker
from servicekit.mongo import open_mongo
from servicekit.runtime import service_app

TITLE = "seva-suraksha ingest service"
DESCRIPTION = "Publishes HKRNL Part-I, T&A e-Billing Part-II and portal master data to Kafka"


def create_app(settings: IngestSettings | None = None) -> FastAPI:
    settings = settings or IngestSettings()
    registry = CollectorRegistry()
    mongo = open_mongo(settings.mongodb_uri, "ingest")
    broker = make_broker(
        settings.kafka_bootstrap_servers,
        "ingest",
        registry,
        settings.consumer_retry_backoff_seconds,
    )
    app = service_app(
        title=TITLE, description=DESCRIPTION, broker=broker, mongo=mongo, registry=registry
    )
    app.state.broker = broker
    return app


def asyncapi_document() -> str:
    app = create_app(IngestSettings(kafka_bootstrap_servers="kafka:9092"))
    return asyncapi_json(app.state.broker, TITLE, DESCRIPTION)
