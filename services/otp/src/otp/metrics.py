"""The OTP service's own Prometheus metrics (FastStream's middleware adds message metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class OtpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "otp_requests_total",
            "OTP requests by outcome (accepted, refused)",
            ["outcome"],
            registry=registry,
        )
        self.refusals = Counter(
            "otp_refusals_total", "OTP refusals by reason code", ["reason"], registry=registry
        )
        self.verifications = Counter(
            "otp_verifications_total",
            "OTP verifications by outcome",
            ["outcome"],
            registry=registry,
        )
        self.view_lag = Gauge(
            "otp_view_lag_seconds",
            "Age of the last event applied to the eligibility view, per input topic",
            ["topic"],
            registry=registry,
        )
        self.view_changes = Counter(
            "otp_view_changes_total",
            "Events that changed an employee's view",
            ["topic"],
            registry=registry,
        )
