"""The gateway circuit breaker: opens after failures in a row, lets one trial through
after the open period, closes on success and reopens on a failed trial."""

from __future__ import annotations

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
