"""Wiring of the OTP service: the only place things are put together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from otp.adapters.guards import MongoGuards
from otp.adapters.mongo import (
    MongoMasterData,
    MongoViews,
    ensure_indexes,
)
from otp.adapters.mongo_challenges import MongoChallenges
from otp.adapters.portal_reads import MongoPortalReads
from otp.adapters.refusals import MongoRefusals
from otp.adapters.reports import MongoReports
from otp.auth import guard_rules
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
from servicekit.producing import publish_events
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
        views=MongoViews(db, settings.hmac_key.get_secret_value()),
        challenges=MongoChallenges(db),
        guards=MongoGuards(db),
        reports=MongoReports(db),
        publish=partial(publish_event, broker),
        settings=settings,
        clock=clock,
        refusals=MongoRefusals(db),
        reads=MongoPortalReads(db, settings.hmac_key.get_secret_value()),
        publish_many=partial(publish_events, broker),
    )
    master_data = MongoMasterData(db)
    officers = OfficerTokens(settings)
    broker.include_router(build_router(deps, master_data, metrics, settings.consumer_group))
    app = service_app(
        title=TITLE,
        description=DESCRIPTION,
        broker=broker,
        mongo=mongo,
        registry=registry,
        routers=[build_http(deps, metrics, officers, master_data)],
        on_startup=[partial(ensure_indexes, db, settings.hmac_key.get_secret_value())],
        guard_rules=guard_rules(settings, officers, master_data),
        max_request_bytes=settings.max_request_bytes,
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
