"""Prometheus metrics of the ingest service, on the app's own registry."""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Histogram

from ingest.ports import Quarantine
from ingest.reports import BatchReport, Rejected


class IngestMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.rows = Counter(
            "ingest_rows_total",
            "Source rows by source and outcome (received, accepted, rejected)",
            ["source", "outcome"],
            registry=registry,
        )
        self.published = Counter(
            "ingest_records_published_total",
            "Records published to Kafka (employees or master entities)",
            ["source"],
            registry=registry,
        )
        self.duration = Histogram(
            "ingest_batch_duration_seconds",
            "Time from the first byte of an upload to its report",
            ["source"],
            buckets=(0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
            registry=registry,
        )
        self.rejections = Counter(
            "ingest_rejections_total",
            "Rejected rows by source and the field at fault (the reason's subject)",
            ["source", "field"],
            registry=registry,
        )

    def counting(self, quarantine: Quarantine) -> Quarantine:
        """`quarantine`, counting each row it keeps in `ingest_rejections_total`."""
        return _CountingQuarantine(quarantine, self.rejections)

    def observe(self, report: BatchReport) -> None:
        for outcome in ("received", "accepted", "rejected"):
            self.rows.labels(report.source, outcome).inc(getattr(report, outcome))
        self.published.labels(report.source).inc(report.published + report.relinked)
        seconds = (report.finished_at - report.started_at).total_seconds()
        self.duration.labels(report.source).observe(seconds)


class _CountingQuarantine:
    def __init__(self, inner: Quarantine, counter: Counter) -> None:
        self.inner, self.counter = inner, counter

    async def add(self, rows: Sequence[Rejected]) -> None:
        await self.inner.add(rows)
        for row in rows:
            self.counter.labels(row.source, row.field or "row").inc()

    async def list(self, batch_id: str, skip: int, limit: int) -> list[Rejected]:
        return await self.inner.list(batch_id, skip, limit)
