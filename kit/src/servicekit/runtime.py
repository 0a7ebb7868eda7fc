"""One process, two apps: the FastAPI app and the FastStream Kafka app.

`service_app` builds the FastAPI app whose lifespan starts the Kafka broker and closes
it and the MongoDB client on shutdown (FastStream's FastAPI plugin is deprecated, so
the broker is started here instead). `serve` runs it under uvicorn.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from servicekit.guard import RequestGuard, Rule
from servicekit.health import Check, health_router
from servicekit.hostile import add_hostile_input_handlers
from servicekit.mongo import ping_mongo
from servicekit.observability import (
    SERVICE_INFO,
    ConsumerLag,
    HttpMetrics,
    ServiceInfo,
    http_histogram,
    mark_worker_gone,
    prepare_multiprocess_dir,
    remove_multiprocess_dir,
    subscriptions_of,
)
from servicekit.pii import configure_logging
from servicekit.settings import DEFAULT_MAX_REQUEST_BYTES, ServiceSettings

Hook = Callable[[], Awaitable[None]]
log = logging.getLogger(__name__)
# Python's cyclic collector as a long-running service wants it: the youngest generation
# collected every 10,000 net allocations instead of 700 (most of a request's or a record's
# objects are freed by their reference counts before a collection would look at them), and
# what start-up built frozen out of every scan, once a process (`tune_collector`).
GC_THRESHOLDS = (10_000, 10, 10)
_frozen = False


def tune_collector() -> None:
    """Freeze what exists at the first call in this process (modules, the app, its
    settings and clients: kept for the process's life) out of the collector's scans, and
    set `GC_THRESHOLDS`. Cycles are still collected, a generation's worth at a time; a
    second app in the same process (tests, benches) freezes nothing more, so an app that
    stopped can be freed."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True
    gc.set_threshold(*GC_THRESHOLDS)


async def _until_done(hook: Hook, pause: float = 2.0) -> None:
    while True:
        try:
            await hook()
        except Exception as error:
            log.warning("start-up step %s failed (%s); retrying", hook, type(error).__name__)
            await asyncio.sleep(pause)
        else:
            return


async def _ping_kafka(broker: KafkaBroker) -> None:
    if not await broker.ping(timeout=1.5):
        raise ConnectionError("Kafka brokers do not answer")


async def _start_broker(broker: KafkaBroker) -> None:
    """Start the broker; after a failed start, stop it so that the next try starts clean."""
    try:
        await broker.start()
    except BaseException:
        with contextlib.suppress(Exception):
            await broker.stop()
        raise


def service_app(
    *,
    title: str,
    description: str,
    broker: KafkaBroker,
    mongo: AsyncMongoClient[dict[str, Any]],
    registry: CollectorRegistry,
    routers: Sequence[APIRouter] = (),
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    extra_checks: dict[str, Check] | None = None,
    background: Sequence[Hook] = (),
    lag_interval: float = 5.0,
    guard_rules: Sequence[Rule] = (),
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
) -> FastAPI:
    """The FastAPI app of a service, with health, readiness and metrics routes, HTTP
    metrics on every route and its consumers' lag sampled from Kafka every
    `lag_interval` seconds (servicekit.observability). `background` loops run from
    start-up until shutdown.

    `guard_rules` say which routes need which authentication, checked before the body is
    read, and how large their bodies may be; any other request may carry at most
    `max_request_bytes` (`servicekit.guard`)."""
    # a broker from make_broker knows its service; any other is named by the title
    info: ServiceInfo = broker.context.get(SERVICE_INFO) or ServiceInfo(title, "")
    lag = ConsumerLag(info.name, info.bootstrap_servers, registry, lag_interval)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        tune_collector()
        # A start-up hook (index creation, say) that fails because MongoDB is away is
        # retried in the background: the service starts, and /readyz names what is down.
        pending = [asyncio.create_task(_until_done(hook)) for hook in on_startup]
        if pending:
            await asyncio.wait(pending, timeout=5)
        # Kafka away at start: the service starts all the same (HTTP answers, /readyz says
        # kafka is down) and the broker is started in the background once Kafka answers.
        try:
            await _start_broker(broker)
        except Exception as error:
            log.warning("Kafka not reachable at start (%s); retrying", type(error).__name__)
            pending.append(asyncio.create_task(_until_done(lambda: _start_broker(broker))))
        if info.bootstrap_servers:
            pending.append(asyncio.create_task(lag.run(lambda: subscriptions_of(broker))))
        pending += [asyncio.ensure_future(loop()) for loop in background]
        try:
            yield
        finally:
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            await lag.close()
            mark_worker_gone()
            await broker.stop()
            for hook in on_shutdown:
                await hook()
            await mongo.close()

    async def kafka_check() -> None:
        await _ping_kafka(broker)

    async def mongo_check() -> None:
        await ping_mongo(mongo)

    checks: dict[str, Check] = {"kafka": kafka_check, "mongodb": mongo_check}
    checks.update(extra_checks or {})
    app = FastAPI(title=title, description=description, version="1.0.0", lifespan=lifespan)
    app.include_router(health_router(checks, registry))
    add_hostile_input_handlers(app)
    app.add_middleware(RequestGuard, rules=guard_rules, default_max_bytes=max_request_bytes)
    # added last, so outermost: requests the guard refuses (401, 413) are measured too
    app.add_middleware(HttpMetrics, service=info.name, duration=http_histogram(registry))
    for router in routers:
        app.include_router(router)
    return app


def serve(app: FastAPI | str, settings: ServiceSettings, workers: int = 1) -> None:
    """Run the service until SIGTERM/SIGINT; logs go through the PII filter.

    `app` is the app itself, or the import string of a factory (`otp.app:create_app`)
    that builds it from the environment: with `workers` > 1 it must be the string, and
    uvicorn runs that many processes, each with its own app (and Kafka consumers, which
    join the same consumer groups) and prometheus-client's multiprocess mode on, so
    `/metrics` of any worker shows the sum over all of them."""
    configure_logging(settings.log_level)
    folder = prepare_multiprocess_dir() if isinstance(app, str) and workers > 1 else None
    try:
        _run(app, settings, workers)
    finally:
        if folder is not None:
            remove_multiprocess_dir(folder)


def _run(app: FastAPI | str, settings: ServiceSettings, workers: int) -> None:
    uvicorn.run(
        app,
        factory=isinstance(app, str),
        workers=workers if isinstance(app, str) else None,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
    )
