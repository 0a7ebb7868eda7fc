"""Wiring of the OTP service: the only place things are put together."""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from otp.adapters.mongo import MongoMasterData
from otp.handlers import Deps, build_router
from otp.settings import OtpSettings
from servicekit.asyncapi import asyncapi_json
from servicekit.messaging import make_broker
from servicekit.mongo import open_mongo
from servicekit.runtime import service_app

TITLE = "seva-suraksha OTP service"
DESCRIPTION = "Eligibility view, the Act's rules, OTP issue and verify for the HKCL portal"


def create_app(settings: OtpSettings | None = None) -> FastAPI:
    settings = settings or OtpSettings()
    registry = CollectorRegistry()
    mongo = open_mongo(settings.mongodb_uri, "otp")
    db = mongo[settings.mongodb_database]
    broker = make_broker(
        settings.kafka_bootstrap_servers, "otp", registry, settings.consumer_retry_backoff_seconds
    )
    broker.include_router(
        build_router(Deps(master_data=MongoMasterData(db)), settings.consumer_group)
    )
    app = service_app(
        title=TITLE, description=DESCRIPTION, broker=broker, mongo=mongo, registry=registry
    )
    app.state.broker = broker
    return app


def asyncapi_document() -> str:
    app = create_app(OtpSettings(kafka_bootstrap_servers="kafka:9092"))
    return asyncapi_json(app.state.broker, TITLE, DESCRIPTION)
