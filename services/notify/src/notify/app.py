"""Wiring of the notify service: the only place things are put together."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace
from functools import partial
from typing import Any

from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry
from pydantic import BaseModel, SecretStr

from contracts.envelope import Envelope
from notify import redelivery
from notify.adapters.failover import FailoverGateway, Route
from notify.adapters.gateway import GatewayAccount, HttpSmsGateway, RecordingSmsGateway
from notify.adapters.mongo import MongoSendLog, ensure_indexes
from notify.domain.circuit import CircuitBreaker
from notify.domain.templates import check_template
from notify.handlers import build_router
from notify.http import build_http, guard_rules
from notify.metrics import NotifyMetrics
from notify.ports import SmsGateway
from notify.services import Deps
from notify.settings import NotifySettings
from servicekit.asyncapi import asyncapi_json
from servicekit.messaging import dead_letter_counter, make_broker
from servicekit.mongo import open_mongo
from servicekit.runtime import service_app

TITLE = "seva-suraksha notify service"
DESCRIPTION = "Sends OTP SMS through a DLT-registered gateway, exactly one per challenge"


def check_templates(settings: NotifySettings) -> None:
    """Refuse to start with a template that does not match its DLT text or does not fit."""
    check_template("en", settings.template_en, settings.max_segments)
    check_template("hi", settings.template_hi, settings.max_segments)


async def _publish(broker: KafkaBroker, topic: str, event: BaseModel) -> Awaitable[object]:
    """Queue `event` on the producer (keyed as `publish_event` keys it, or a dead letter by
    its source key); the future it returns is the broker's acknowledgement."""
    if isinstance(event, Envelope):
        key: str | None = event.partition_key
        correlation_id: str | None = event.correlation_id
    else:
        key, correlation_id = getattr(event, "source_key", None), None
    return await broker.publish(
        event,
        topic,
        key=key.encode() if key else None,
        correlation_id=correlation_id,
        no_confirm=True,
    )


def gateways(settings: NotifySettings, metrics: NotifyMetrics) -> FailoverGateway:
    """The primary gateway and, when configured, the failover, each behind its own
    circuit breaker; calls counted by gateway and outcome."""
    if settings.gateway == "recording":
        primary: SmsGateway = RecordingSmsGateway()
    else:
        primary = HttpSmsGateway(settings)
    routes = [Route("primary", primary, _breaker(settings))]
    if account := GatewayAccount.failover(settings):
        routes.append(
            Route("failover", HttpSmsGateway(settings, account=account), _breaker(settings))
        )
    return FailoverGateway(routes, metrics)


def _breaker(settings: NotifySettings) -> CircuitBreaker:
    return CircuitBreaker(settings.circuit_failures, settings.circuit_open_seconds)


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
    metrics = NotifyMetrics(registry, dead_letter_counter(broker))
    gateway = gateways(settings, metrics)
    deps = Deps(
        gateway=gateway,
        sends=MongoSendLog(db),
        publish=partial(_publish, broker),
        settings=settings,
        metrics=metrics,
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
        on_shutdown=[gateway.close],
        background=[partial(redelivery.run, deps)],
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
