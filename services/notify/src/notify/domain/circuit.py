"""A circuit breaker for one SMS gateway: pure, time passed in.

Closed: every call goes through. After `failures` retryable failures in a row it opens
for `open_seconds`: no call goes to that gateway (the failover takes them, or the send is
scheduled for later). Then one trial call is let through (half-open): success closes the
circuit, failure opens it again for another `open_seconds`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CircuitBreaker:
    failures: int
    open_seconds: float
    failed_in_a_row: int = 0
    opened_at: float | None = None
    trial_running: bool = False

    def is_open(self, now: float) -> bool:
        return self.opened_at is not None and now < self.opened_at + self.open_seconds

    def allows(self, now: float) -> bool:
        """May a call go to the gateway now? (Takes the half-open trial, when it is one.)"""
        if self.opened_at is None:
            return True
        if self.is_open(now) or self.trial_running:
            return False
        self.trial_running = True
        return True

    def record(self, healthy: bool, now: float) -> None:
        """After a call: `healthy` when the gateway answered (accepted, or refused for a
        reason of the message's own), not when it was unreachable, timed out or 5xx."""
        self.trial_running = False
        if healthy:
            self.failed_in_a_row, self.opened_at = 0, None
            return
        self.failed_in_a_row += 1
        if self.opened_at is not None or self.failed_in_a_row >= self.failures:
            self.opened_at = now
