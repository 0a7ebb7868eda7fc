"""Notify's Prometheus metrics (FastStream's middleware adds message metrics; the kit
adds HTTP, consumer lag and `seva_dead_letters_total`, which notify's own dead letters
count in too)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# `notify_sms_outcomes_total{state}`: what became of each SMS request.
SMS_STATES = ("sent", "delivered", "undelivered", "failed", "skipped_expired", "retry_scheduled")
# `notify_gateway_requests_total{outcome}`: what one gateway call gave.
GATEWAY_OUTCOMES = ("accepted", "unavailable", "refused", "circuit_open")


class NotifyMetrics:
    def __init__(self, registry: CollectorRegistry, dead_letters: Counter) -> None:
        self.outcomes = Counter(
            "notify_sms_outcomes_total",
            "SMS requests by what became of them (state) and why (reason; empty on success)",
            ["state", "reason"],
            registry=registry,
        )
        self.gateway_requests = Counter(
            "notify_gateway_requests_total",
            "Calls to each SMS gateway (primary, failover) by outcome",
            ["gateway", "outcome"],
            registry=registry,
        )
        self.gateway_duration = Histogram(
            "notify_gateway_request_duration_seconds",
            "Time one gateway call took",
            ["gateway"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=registry,
        )
        self.circuit_open = Gauge(
            "notify_gateway_circuit_open",
            "1 while the gateway's circuit breaker is open (calls go to the failover, or wait)",
            ["gateway"],
            registry=registry,
        )
        self.retry_pending = Gauge(
            "notify_sms_retry_pending",
            "SMS waiting for their next attempt after the gateway failed",
            registry=registry,
        )
        self.dead_letters = dead_letters

    def outcome(self, state: str, reason: str = "") -> None:
        self.outcomes.labels(state, reason).inc()
