"""Wiring of the certification service: the only place things are put together."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from certification import services
from certification.adapters.directory import MongoDirectory
from certification.adapters.kafka import KafkaCertificationEvents, declare_publisher
from certification.adapters.mongo import GridFsLetters, MongoCertifications
from certification.auth import guard_rules
from certification.handlers import build_router as build_handlers
from certification.http import build_router
from certification.metrics import Metrics
from certification.services import Deps
from certification.settings import CertificationSettings
from servicekit.aadhaar import new_id
from servicekit.asyncapi import asyncapi_json
from servicekit.messaging import make_broker
from servicekit.mongo import open_mongo
from servicekit.officers import OfficerTokens
from servicekit.runtime import service_app

log = logging.getLogger(__name__)
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]
TITLE = "seva-suraksha certification service"
DESCRIPTION = "Department certifications with HRD advice, published as verified overrides"


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id() -> str:
    return new_id(lambda: f"cert-{uuid.uuid4().hex}")


def _with_outbox(inner: Lifespan, deps: Deps, interval: float) -> Lifespan:
    """Once the broker runs: publish what an earlier run left pending, then keep
    retrying in the background until shutdown; refresh the per-state gauge as it goes."""

    async def loop() -> None:
        while True:
            try:
                await services.republish_pending(deps)
            except Exception:
                log.exception("re-publication of pending events failed; retrying later")
            try:
                await services.count_states(deps)
            except Exception:
                log.exception("counting certifications by state failed; retrying later")
            await asyncio.sleep(interval)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with inner(app) as state:
            task = asyncio.create_task(loop())
            try:
                yield state
            finally:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    return lifespan


def create_app(settings: CertificationSettings | None = None) -> FastAPI:
    settings = settings or CertificationSettings()
    registry = CollectorRegistry()
    mongo = open_mongo(settings.mongodb_uri, "certification")
    db = mongo[settings.mongodb_database]
    broker = make_broker(
        settings.kafka_bootstrap_servers,
        "certification",
        registry,
        settings.consumer_retry_backoff_seconds,
    )
    declare_publisher(broker)
    store = MongoCertifications(mongo, db)
    directory = MongoDirectory(db)
    broker.include_router(
        build_handlers(directory, settings.consumer_group, settings.record_batch_size)
    )
    verifier = OfficerTokens(settings)
    deps = Deps(
        store=store,
        directory=directory,
        letters=GridFsLetters(db),
        publisher=KafkaCertificationEvents(broker),
        metrics=Metrics(registry),
        clock=_now,
        new_id=_new_id,
        max_letter_bytes=settings.max_letter_bytes,
    )

    app = service_app(
        title=TITLE,
        description=DESCRIPTION,
        broker=broker,
        mongo=mongo,
        registry=registry,
        routers=[build_router(deps, verifier)],
        on_startup=[store.ensure_indexes, directory.ensure_indexes],
        guard_rules=guard_rules(verifier, settings.max_letter_bytes, settings.max_request_bytes),
        max_request_bytes=settings.max_request_bytes,
    )
    app.router.lifespan_context = _with_outbox(
        app.router.lifespan_context, deps, settings.republish_interval_seconds
    )
    app.state.broker = broker
    app.state.deps = deps
    return app


def asyncapi_document() -> str:
    placeholder = CertificationSettings(kafka_bootstrap_servers="kafka:9092")
    app = create_app(placeholder)
    return asyncapi_json(app.state.broker, TITLE, DESCRIPTION)
