"""Prometheus metrics of the ingest service, on the app's own registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

from ingest.reports import BatchReport


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

    def observe(self, report: BatchReport) -> None:
        for outcome in ("received", "accepted", "rejected"):
            self.rows.labels(report.source, outcome).inc(getattr(report, outcome))
        self.published.labels(report.source).inc(report.published + report.relinked)
        seconds = (report.finished_at - report.started_at).total_seconds()
        self.duration.labels(report.source).observe(seconds)
