"""Wiring of the OTP service: the only place things are put together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from otp.adapters.mongo import (
    MongoChallenges,
    MongoGuards,
    MongoMasterData,
    MongoReports,
    MongoViews,
    ensure_indexes,
)
from otp.handlers import build_router
from otp.http import build_http
from otp.metrics import OtpMetrics
from otp.services import Deps
from otp.settings import OtpSettings
from servicekit.asyncapi import asyncapi_json
from servicekit.messaging import make_broker, publish_event
from servicekit.mongo import open_mongo
from servicekit.officers import OfficerTokens
from servicekit.pii import configure_logging
from servicekit.runtime import service_app

TITLE = "seva-suraksha OTP service"
DESCRIPTION = "Eligibility view, the Act's rules, OTP issue and verify for the HKCL portal"


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: OtpSettings | None = None, clock: Callable[[], datetime] = utc_now
) -> FastAPI:
    settings = settings or OtpSettings()  # secrets come from the environment
    registry = CollectorRegistry()
    metrics = OtpMetrics(registry)
    mongo = open_mongo(settings.mongodb_uri, "otp")
    db = mongo[settings.mongodb_database]
    broker = make_broker(
        settings.kafka_bootstrap_servers, "otp", registry, settings.consumer_retry_backoff_seconds
    )
    deps = Deps(
        views=MongoViews(db),
        challenges=MongoChallenges(db),
        guards=MongoGuards(db),
        reports=MongoReports(db),
        publish=partial(publish_event, broker),
        settings=settings,
        clock=clock,
    )
    master_data = MongoMasterData(db)
    broker.include_router(build_router(deps, master_data, metrics, settings.consumer_group))
    app = service_app(
        title=TITLE,
        description=DESCRIPTION,
        broker=broker,
        mongo=mongo,
        registry=registry,
        routers=[build_http(deps, metrics, OfficerTokens(settings), master_data)],
        on_startup=[partial(ensure_indexes, db)],
    )
    app.state.broker = broker
    app.state.deps = deps
    return app


def create_worker_app() -> FastAPI:
    """The app of one uvicorn worker process (`http_workers` > 1): settings from the
    environment, logs through the PII filter as in the parent."""
    settings = OtpSettings()
    configure_logging(settings.log_level)
    return create_app(settings)


def asyncapi_document() -> str:
    placeholder = SecretStr("placeholder-not-a-secret")
    settings = OtpSettings(
        kafka_bootstrap_servers="kafka:9092",
        hmac_key=placeholder,
        portal_token=placeholder,
        sms_seal_key=placeholder,
    )
    return asyncapi_json(create_app(settings).state.broker, TITLE, DESCRIPTION)
