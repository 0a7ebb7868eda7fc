"""Wiring of the notify service: the only place things are put together."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry
from pydantic import BaseModel, SecretStr

from contracts.envelope import Envelope
from notify.adapters.gateway import HttpSmsGateway, RecordingSmsGateway
from notify.adapters.mongo import MongoSendLog, ensure_indexes
from notify.domain.templates import check_template
from notify.handlers import build_router
from notify.http import build_http, guard_rules
from notify.metrics import NotifyMetrics
from notify.ports import SmsGateway
from notify.services import Deps
from notify.settings import NotifySettings
from servicekit.asyncapi import asyncapi_json
from servicekit.messaging import make_broker, publish_event
from servicekit.mongo import open_mongo
from servicekit.runtime import service_app

TITLE = "seva-suraksha notify service"
DESCRIPTION = "Sends OTP SMS through a DLT-registered gateway, exactly one per challenge"


def check_templates(settings: NotifySettings) -> None:
    """Refuse to start with a template that does not match its DLT text or does not fit."""
    check_template("en", settings.template_en, settings.max_segments)
    check_template("hi", settings.template_hi, settings.max_segments)


async def _publish(broker: KafkaBroker, topic: str, event: BaseModel) -> None:
    if isinstance(event, Envelope):
        await publish_event(broker, topic, event)
    else:
        key = getattr(event, "source_key", None)
        await broker.publish(event, topic, key=key.encode() if key else None)


def create_app(settings: NotifySettings | None = None, **overrides: Any) -> FastAPI:
    """`overrides` replace Deps fields (clock, sleep, gateway, after_gateway) in tests."""
    settings = settings or NotifySettings()  # secrets come from the environment
    check_templates(settings)
    registry = CollectorRegistry()
    mongo = open_mongo(settings.mongodb_uri, "notify")
    db = mongo[settings.mongodb_database]
    broker = make_broker(
        settings.kafka_bootstrap_servers,
        "notify",
        registry,
        settings.consumer_retry_backoff_seconds,
    )
    gateway: SmsGateway = (
        HttpSmsGateway(settings) if settings.gateway == "http" else RecordingSmsGateway()
    )
    deps = Deps(
        gateway=gateway,
        sends=MongoSendLog(db),
        publish=partial(_publish, broker),
        settings=settings,
        metrics=NotifyMetrics(registry),
    )
    if overrides:
        deps = replace(deps, **overrides)
    broker.include_router(build_router(deps, settings.consumer_group))
    app = service_app(
        title=TITLE,
        description=DESCRIPTION,
        broker=broker,
        mongo=mongo,
        registry=registry,
        routers=[build_http(deps)],
        on_startup=[partial(ensure_indexes, db)],
        guard_rules=guard_rules(settings.delivery_report_token, settings.max_request_bytes),
        max_request_bytes=settings.max_request_bytes,
    )
    app.state.broker = broker
    app.state.deps = deps
    return app


def asyncapi_document() -> str:
    placeholder = SecretStr("placeholder-not-a-secret")
    settings = NotifySettings(
        kafka_bootstrap_servers="kafka:9092",
        sms_seal_key=placeholder,
        gateway_password=placeholder,
        delivery_report_token=placeholder,
    )
    return asyncapi_json(create_app(settings).state.broker, TITLE, DESCRIPTION)
