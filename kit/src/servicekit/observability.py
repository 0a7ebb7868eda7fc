"""Metrics every service exports the same way: HTTP RED metrics by route template,
consumer lag read from Kafka itself, and the `/metrics` page in multiprocess mode.

- `seva_http_request_duration_seconds{service,route,method,status_class}`: one histogram
  per route template (`/v1/otp/requests/{challenge_id}`, never the raw path; unmatched
  paths are `unmatched`), its `_count` is the request count, `status_class` is `2xx`..`5xx`.
- `seva_consumer_lag_messages{service,group,topic,partition}`: log end offset minus the
  group's committed offset, sampled from the brokers every few seconds, so a consumer
  that stalls or stops shows its lag growing (a gauge set by the handler cannot).
- With several worker processes (uvicorn `workers`), `PROMETHEUS_MULTIPROC_DIR` makes
  every worker write its samples to files there and the page sums them over workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

log = logging.getLogger(__name__)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


@dataclass(frozen=True)
class ServiceInfo:
    """What the kit knows of the service a broker belongs to (set by `make_broker`)."""

    name: str
    bootstrap_servers: str


SERVICE_INFO = "seva_service_info"


# --- /metrics -----------------------------------------------------------------------


def metrics_page(registry: CollectorRegistry) -> tuple[bytes, str]:
    """The exposition of `registry`, or of every worker's files in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
        return generate_latest(merged), CONTENT_TYPE_LATEST
    return generate_latest(registry), CONTENT_TYPE_LATEST


def prepare_multiprocess_dir() -> Path:
    """Before starting worker processes: `PROMETHEUS_MULTIPROC_DIR` (a fresh private
    folder when unset), emptied of an earlier run's files, exported to the workers."""
    given = os.environ.get(MULTIPROC_ENV)
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="seva-metrics-"))
    if folder.exists():
        for stale in folder.glob("*.db"):
            stale.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


def remove_multiprocess_dir(folder: Path) -> None:
    if not os.environ.get("SEVA_KEEP_METRICS_DIR"):
        shutil.rmtree(folder, ignore_errors=True)


def mark_worker_gone() -> None:
    """A worker that stops drops its live gauges from the merged page."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


# --- HTTP RED ------------------------------------------------------------------------


class HttpMetrics:
    """Pure ASGI middleware: duration and outcome of every HTTP request."""

    def __init__(self, app: Any, service: str, duration: Histogram) -> None:
        self.app = app
        self.service = service
        self.duration = duration
        # each (route, method, status class) child looked up once, not by label per request
        self.children: dict[tuple[str, str, int], Any] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def sending(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self._child(route, scope.get("method", ""), status // 100).observe(
                time.perf_counter() - started
            )

    def _child(self, route: str, method: str, status_class: int) -> Any:
        key = (route, method, status_class)
        child = self.children.get(key)
        if child is None:
            labels = (self.service, route, method, f"{status_class}xx")
            child = self.children[key] = self.duration.labels(*labels)
        return child


def http_histogram(registry: CollectorRegistry) -> Histogram:
    return Histogram(
        "seva_http_request_duration_seconds",
        "HTTP requests by route template, method and status class, and how long they took",
        ["service", "route", "method", "status_class"],
        buckets=HTTP_BUCKETS,
        registry=registry,
    )


# --- consumer lag from Kafka -------------------------------------------------------------


class ConsumerLag:
    """Samples the lag of each (group, topic) this service consumes, from the brokers."""

    def __init__(
        self,
        service: str,
        bootstrap_servers: str,
        registry: CollectorRegistry,
        interval: float = 5.0,
    ) -> None:
        self.service = service
        self.bootstrap_servers = bootstrap_servers
        self.interval = interval
        self.lag = Gauge(
            "seva_consumer_lag_messages",
            "Messages in a partition not yet committed by the group (log end - committed)",
            ["service", "group", "topic", "partition"],
            registry=registry,
            multiprocess_mode="max",
        )
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None or self._consumer is None:
            admin = AIOKafkaAdminClient(
                bootstrap_servers=self.bootstrap_servers, client_id=f"{self.service}-lag"
            )
            consumer = AIOKafkaConsumer(
                bootstrap_servers=self.bootstrap_servers,
                client_id=f"{self.service}-lag",
                enable_auto_commit=False,
            )
            await admin.start()
            try:
                await consumer.start()
            except BaseException:
                await admin.close()
                raise
            self._admin, self._consumer = admin, consumer
        return self._admin, self._consumer

    async def sample(self, subscriptions: Iterable[tuple[str, str]]) -> dict[TopicPartition, int]:
        """Set the gauge for every partition of each (group, topic); returns the lags of
        the last group sampled per partition (for tests)."""
        admin, consumer = await self._clients()
        by_group: dict[str, set[str]] = {}
        for group, topic in subscriptions:
            by_group.setdefault(group, set()).add(topic)
        wanted = sorted({topic for group_topics in by_group.values() for topic in group_topics})
        numbers = {
            entry["topic"]: sorted(p["partition"] for p in entry["partitions"])
            for entry in await admin.describe_topics(wanted)
            if entry.get("error_code", 0) == 0
        }
        found: dict[TopicPartition, int] = {}
        for group, group_topics in sorted(by_group.items()):
            partitions = [
                TopicPartition(topic, number)
                for topic in sorted(group_topics)
                for number in numbers.get(topic, ())
            ]
            if not partitions:
                continue
            committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
            ends = await consumer.end_offsets(partitions)
            starts = await consumer.beginning_offsets(partitions)
            for tp in partitions:
                position = committed.get(tp)
                done = position.offset if position is not None and position.offset >= 0 else -1
                lag = max(0, ends[tp] - (done if done >= 0 else starts[tp]))
                self.lag.labels(self.service, group, tp.topic, str(tp.partition)).set(lag)
                found[tp] = lag
        return found

    async def run(self, subscriptions: Any) -> None:
        """Sample until cancelled; `subscriptions()` names the (group, topic) pairs."""
        while True:
            try:
                await self.sample(subscriptions())
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Kafka away: try again next time
                log.debug("consumer lag not sampled: %s", type(error).__name__)
                await self.close()
            await asyncio.sleep(self.interval)

    async def close(self) -> None:
        admin, consumer = self._admin, self._consumer
        self._admin = self._consumer = None
        if consumer is not None:
            with contextlib.suppress(Exception):
                await consumer.stop()
        if admin is not None:
            with contextlib.suppress(Exception):
                await admin.close()


def subscriptions_of(broker: Any) -> list[tuple[str, str]]:
    """(group, topic) of every subscriber of a FastStream Kafka broker that has a group."""
    pairs: set[tuple[str, str]] = set()
    for subscriber in broker.subscribers:
        group = getattr(subscriber, "group_id", None)
        if group:
            pairs.update((group, topic) for topic in subscriber.topic_names)
    return sorted(pairs)
