"""Prometheus metrics of the certification service."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class Metrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.submissions = Counter(
            "certification_submissions_total",
            "Submissions received, by outcome (created or repeated letter)",
            ["outcome"],
            registry=registry,
        )
        self.transitions = Counter(
            "certification_transitions_total",
            "Certifications entering each state",
            ["state"],
            registry=registry,
        )
        self.refusals = Counter(
            "certification_refusals_total",
            "Requests refused, by reason",
            ["reason"],
            registry=registry,
        )
        self.publish_failures = Counter(
            "certification_publish_failures_total",
            "Events not acknowledged by Kafka (kept for re-publication)",
            registry=registry,
        )
        self.by_state = Gauge(
            "certification_certifications",
            "Certifications in each state now (submitted = waiting for HRD advice)",
            ["state"],
            registry=registry,
        )
