"""The verification use case and delivery reports on challenges. No FastAPI or FastStream.

A verified code makes two MongoDB round trips: one read of the challenge with the view it
is checked against and the employee's wrong-code count, and the update that uses it (a
third clears the wrong-code count, only when there is one to clear)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from otp.deps import Deps
from otp.domain.challenge import Delivery, Outcome, binding, code_matches, precheck, still_bound
from otp.views import hashed_mobile


@dataclass(frozen=True)
class Verification:
    outcome: Outcome
    attempts_left: int | None = None
    employee_id: str | None = None


async def verify_otp(deps: Deps, challenge_id: str, code: str) -> Verification:
    """Compare in constant time; single use; wrong codes count per challenge and per employee."""
    s, now = deps.settings, deps.clock()
    found = await deps.reads.challenge(challenge_id)
    if outcome := precheck(found.challenge if found else None, now):
        return Verification(outcome)
    assert found is not None
    challenge = found.challenge
    bound_to = binding(hashed_mobile(deps, found.mobile), found.gate_open) if found.viewed else None
    if not still_bound(challenge, bound_to):
        # Withdrawn after the send (the view's own invalidation may not have run yet).
        await deps.challenges.invalidate({challenge.employee_id: bound_to})
        return Verification("challenge_invalidated")
    if code_matches(s.hmac_key.get_secret_value(), challenge, code):
        if await deps.challenges.use(challenge_id):
            # NIST SP 800-63B 5.2.2: a success resets the failed-attempt count.
            if found.failures:
                await deps.guards.clear_failures(challenge.employee_id)
            return Verification("verified", employee_id=challenge.employee_id)
        again = await deps.challenges.get(challenge_id)
        return Verification(precheck(again, now) or "already_used")
    after = await deps.challenges.add_attempt(challenge_id, s.max_attempts)
    employee_locked = await deps.guards.add_failure(
        challenge.employee_id, s.employee_failures_to_lock, s.lock_seconds, s.max_lock_seconds, now
    )
    if employee_locked:
        await deps.challenges.lock_all(challenge.employee_id)
        return Verification("locked", attempts_left=0)
    if after is None or after.state == "locked":
        return Verification("locked", attempts_left=0)
    return Verification("wrong_code", attempts_left=s.max_attempts - after.attempts)


async def record_deliveries(deps: Deps, deliveries: Sequence[tuple[str, Delivery, int]]) -> None:
    """Delivery statuses from notify onto their challenges; an older status never
    overwrites a newer one (the version is in the filter), so any order is right."""
    await deps.challenges.set_deliveries(deliveries)
