"""The gateway circuit breaker: opens after failures in a row, lets one trial through
after the open period, closes on success and reopens on a failed trial."""

from __future__ import annotations

import pytest

from notify.domain.circuit import CircuitBreaker


def test_the_circuit_opens_after_failures_in_a_row_and_a_success_resets_the_count() -> None:
    breaker = CircuitBreaker(failures=3, open_seconds=10)
    breaker.record(False, 0)
    breaker.record(False, 1)
    breaker.record(True, 2)
    breaker.record(False, 3)
    breaker.record(False, 4)
    assert breaker.allows(4.5)
    breaker.record(False, 5)
    assert not breaker.allows(6)
    assert breaker.is_open(14.9)


def test_after_the_open_period_one_trial_goes_through_and_decides() -> None:
    breaker = CircuitBreaker(failures=1, open_seconds=10)
    breaker.record(False, 0)
    assert breaker.allows(10)  # the trial
    assert not breaker.allows(10.1)  # only one at a time
    breaker.record(False, 11)  # failed trial: open again
    assert not breaker.allows(20)
    assert breaker.allows(21)
    breaker.record(True, 21.5)
    assert breaker.allows(21.6)
    assert breaker.allows(21.7)


async def test_a_gateway_call_that_raises_counts_as_a_failure_and_frees_the_trial() -> None:
    from prometheus_client import CollectorRegistry, Counter

    from notify.adapters.failover import FailoverGateway, Route
    from notify.metrics import NotifyMetrics
    from notify.ports import GatewayResult, OutgoingSms

    class Broken:
        async def send(self, sms: OutgoingSms) -> GatewayResult:
            raise RuntimeError("adapter bug")

    registry = CollectorRegistry()
    dead = Counter("seva_dead_letters_total", "", ["service", "topic", "reason"], registry=registry)
    now = [0.0]
    breaker = CircuitBreaker(failures=1, open_seconds=10, opened_at=0.0)
    gateway = FailoverGateway(
        [Route("primary", Broken(), breaker)], NotifyMetrics(registry, dead), lambda: now[0]
    )
    sms = OutgoingSms(mobile="9876543210", text="t", unicode=False, template_id="1")
    now[0] = 10.0  # the half-open trial
    with pytest.raises(RuntimeError, match="adapter bug"):
        await gateway.send(sms)
    assert not breaker.trial_running
    assert breaker.is_open(10.5)
