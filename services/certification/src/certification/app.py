"""Wiring of the certification service: the only place things are put together."""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from certification.settings import CertificationSettings
from servicekit.asyncapi import asyncapi_json
from servicekit.messaging import make_broker
from servicekit.mongo import open_mongo
from servicekit.runtime import service_app

TITLE = "seva-suraksha certification service"
DESCRIPTION = "Department certifications with HRD advice, published as verified overrides"


def create_app(settings: CertificationSettings | None = None) -> FastAPI:
    settings = settings or CertificationSettings()
    registry = CollectorRegistry()
    mongo = open_mongo(settings.mongodb_uri, "certification")
    broker = make_broker(
        settings.kafka_bootstrap_servers,
        "certification",
        registry,
        settings.consumer_retry_backoff_seconds,
    )
    app = service_app(
        title=TITLE, description=DESCRIPTION, broker=broker, mongo=mongo, registry=registry
    )
    app.state.broker = broker
    return app


def asyncapi_document() -> str:
    app = create_app(CertificationSettings(kafka_bootstrap_servers="kafka:9092"))
    return asyncapi_json(app.state.broker, TITLE, DESCRIPTION)
