"""The gateways notify sends through: the primary, and an optional failover used while
the primary's circuit is open. Each call is counted and timed by gateway and outcome."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from notify.domain.circuit import CircuitBreaker
from notify.metrics import NotifyMetrics
from notify.ports import GatewayResult, OutgoingSms, SmsGateway


@dataclass
class Route:
    name: str  # "primary" or "failover"
    gateway: SmsGateway
    breaker: CircuitBreaker
    last_error: str = "not called yet"


@dataclass
class FailoverGateway:
    """An SmsGateway over several: the first whose circuit lets the call through."""

    routes: Sequence[Route]
    metrics: NotifyMetrics
    clock: Callable[[], float] = field(default=time.monotonic)

    async def send(self, sms: OutgoingSms) -> GatewayResult:
        result: GatewayResult | None = None
        for route in self.routes:
            if not route.breaker.allows(self.clock()):
                self.metrics.gateway_requests.labels(route.name, "circuit_open").inc()
                self.metrics.circuit_open.labels(route.name).set(1)
                continue
            started = time.perf_counter()
            try:
                result = await route.gateway.send(sms)
            except BaseException:  # an adapter bug or a cancel: never leave a trial running
                route.breaker.record(False, self.clock())
                raise
            self.metrics.gateway_duration.labels(route.name).observe(time.perf_counter() - started)
            healthy = result.ok or not result.retryable
            route.breaker.record(healthy, self.clock())
            self.metrics.circuit_open.labels(route.name).set(
                1 if route.breaker.is_open(self.clock()) else 0
            )
            outcome = "accepted" if result.ok else "refused" if healthy else "unavailable"
            self.metrics.gateway_requests.labels(route.name, outcome).inc()
            if healthy:
                return result
            route.last_error = result.error or "gateway unavailable"
        if result is None:  # no gateway was called: say why the last one was given up on
            last = self.routes[-1].last_error
            return GatewayResult(ok=False, retryable=True, error=f"{last} (circuit open)")
        return result

    async def close(self) -> None:
        """Close the connections of every gateway that keeps some (on shutdown)."""
        for route in self.routes:
            if (close := getattr(route.gateway, "close", None)) is not None:
                await close()
