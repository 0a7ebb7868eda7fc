"""Notify's Prometheus metrics (FastStream's middleware adds message metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class NotifyMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.sent = Counter(
            "notify_sms_sent_total", "SMS accepted by the gateway", registry=registry
        )
        self.failed = Counter(
            "notify_sms_failed_total", "SMS given up, by cause", ["cause"], registry=registry
        )
        self.retries = Counter(
            "notify_sms_retries_total", "Gateway attempts after the first", registry=registry
        )
        self.skipped_expired = Counter(
            "notify_sms_skipped_expired_total",
            "Requests not sent because the OTP had expired",
            registry=registry,
        )
        self.dead_letters = Counter(
            "notify_sms_dead_letters_total",
            "Requests sent to sms-requests.v1.dlq",
            registry=registry,
        )
        self.latency = Histogram(
            "notify_send_latency_seconds",
            "Gateway call latency",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=registry,
        )
