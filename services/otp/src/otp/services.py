"""Use cases of the OTP service: load through a port, call the domain, save, publish.

No FastAPI or FastStream here; `http.py` and `handlers.py` translate.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from contracts import topics
from contracts.otp import SmsRequested
from otp import refusal_policy
from otp.domain.challenge import (
    Challenge,
    Delivery,
    Outcome,
    code_hash,
    code_matches,
    derive_code,
    precheck,
    still_bound,
)
from otp.domain.refusal import MISMATCHES, Refusal
from otp.domain.report import BlockedPerson, Filter, OfficeBlocked, PartReadiness, Scope
from otp.domain.view import EmployeeView
from otp.ports import ChallengeStore, Guards, Publisher, RefusalLog, ReportStore, ViewStore
from otp.refusal_policy import IDENTITY_REFUSALS
from otp.settings import OtpSettings
from otp.views import (
    apply_event,
    apply_records,
    apply_refusal,
    challenge_binding,
    hashed_mobile,
)
from servicekit.pii import mask_family_id, mask_mobile
from servicekit.sealing import seal

Clock = Callable[[], datetime]
__all__ = ["apply_event", "apply_records"]  # the view's use cases live in otp.views


@dataclass(frozen=True)
class Deps:
    views: ViewStore
    challenges: ChallengeStore
    guards: Guards
    reports: ReportStore
    publish: Publisher
    settings: OtpSettings
    clock: Clock
    refusals: RefusalLog


# --- OTP requests --------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """A business "no": reason codes, masked hints, and when to retry if throttled."""

    reasons: tuple[str, ...]
    hints: dict[str, str] = field(default_factory=dict)
    retry_after: int | None = None
    employee_id: str | None = None  # the one employee a mismatch refusal names, if any


@dataclass(frozen=True)
class Accepted:
    challenge_id: str
    expires_at: datetime
    send_number: int


def normalise_mobile(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value)
    digits = re.sub(r"^(\+91|91(?=\d{10}$)|0(?=\d{10}$))", "", digits)
    return digits


def normalise_family_id(value: str) -> str:
    return value.strip().upper()


async def find_employee(deps: Deps, family_id: str, mobile: str) -> EmployeeView | Refused:
    """The employee the portal means, or why none can be named.

    A record that lacks the very field the portal could not match is returned as it is,
    so its stored gate reason (`mobile_missing`, `family_id_missing`) is what is shown."""
    candidates = await deps.views.by_family_id(family_id)
    if not candidates:
        by_mobile = await deps.views.by_mobile(mobile)
        if not by_mobile:
            return Refused(("not_found",))
        missing = [view for view in by_mobile if view.family_id is None]
        named = one_person(by_mobile)
        return missing[0] if missing else Refused(("family_id_mismatch",), employee_id=named)
    for view in candidates:
        if view.mobile == mobile:
            return view
    missing = [view for view in candidates if view.mobile is None]
    if len(candidates) == 1 and missing:
        return missing[0]
    if len(candidates) == 1:
        hints = {"mobile": mask_mobile(candidates[0].mobile)}
        return Refused(("mobile_mismatch",), hints, employee_id=candidates[0].employee_id)
    return Refused(("mobile_mismatch",), employee_id=one_person(candidates))


def one_person(views: Sequence[EmployeeView]) -> str | None:
    """The employee a refusal names: the only candidate, or, when the candidates are the
    linked records of one person, the first of their ids; None for several people."""
    ids = sorted(view.employee_id for view in views)
    if len(ids) == 1:
        return ids[0]
    groups = {view.decision.person_ids if view.decision else () for view in views}
    return ids[0] if len(groups) == 1 and set(ids) <= set(next(iter(groups))) else None


async def refusal_revealed(
    deps: Deps, refused: Refused, keys: Sequence[str], now: datetime
) -> Refused:
    """The refusal as the policy lets it be told (`otp.refusal_policy`)."""
    if not set(refused.reasons) & IDENTITY_REFUSALS:
        return refused
    told = await refusal_policy.reveal(deps.guards, deps.settings, keys, now)
    if isinstance(told, int):
        return Refused(("rate_limited",), retry_after=told)
    return refused if told == "with_hints" else Refused(refused.reasons)


async def request_otp(
    deps: Deps, family_id: str, mobile: str, client: str, locale: Literal["en", "hi"]
) -> Accepted | Refused:
    """Send an OTP if the gate is open and no limit is hit; re-send a live challenge."""
    s, now = deps.settings, deps.clock()
    if wait := await deps.guards.hit(f"client:{client}", s.requests_per_client_per_minute, 60, now):
        return Refused(("rate_limited",), retry_after=wait)
    family_id, mobile = normalise_family_id(family_id), normalise_mobile(mobile)
    keys = refusal_policy.keys(s, family_id, mobile)
    if wait := await refusal_policy.throttled(deps.guards, s, keys, now):
        return Refused(("rate_limited",), retry_after=wait)
    found = await find_employee(deps, family_id, mobile)
    if isinstance(found, Refused):
        await record_refusal(deps, found, family_id, mobile, client)
        return await refusal_revealed(deps, found, keys, now)
    view = found
    if view.decision is None or not view.decision.gate.open:
        codes = (
            tuple(f.code for f in view.decision.gate.reasons) if view.decision else ("no_record",)
        )
        return Refused(codes)
    if view.mobile is None:  # the person's gate is open on a linked record, not this one
        return Refused(("mobile_missing",))
    held = await deps.guards.admit_send(
        view.employee_id, s.sends_per_employee_per_hour, 3600, s.send_cooldown_seconds, now
    )
    if held is not None:
        reason, wait = held
        return Refused((reason,), retry_after=wait)
    assert view.mobile is not None  # the gate is open only with a valid mobile
    mobile_key = f"mobile:{hashed_mobile(deps, view.mobile)}"
    if wait := await deps.guards.hit(mobile_key, s.sends_per_mobile_per_hour, 3600, now):
        return Refused(("rate_limited",), retry_after=wait)
    # A live challenge to this mobile is sent again (same code, send number + 1); else this
    # new one, and any other live one (sent to a mobile since corrected) is invalidated.
    challenge = await deps.challenges.live_or_new(_new_challenge(deps, view, client, now), now)
    if challenge.send_number == 1:
        await deps.challenges.invalidate_others(challenge)
    await _send(deps, challenge, view.mobile, locale)
    return Accepted(challenge.challenge_id, challenge.expires_at, challenge.send_number)


async def record_refusal(
    deps: Deps, refused: Refused, family_id: str, mobile: str, client: str
) -> None:
    """Keep a mismatch refusal that names one employee as a fact on them (masked), so
    their office sees it in the blocked reports. Other refusals name no one: nothing kept."""
    reason = refused.reasons[0] if refused.reasons else None
    if refused.employee_id is None or reason not in MISMATCHES:
        return
    typed = mask_mobile(mobile) if reason == "mobile_mismatch" else mask_family_id(family_id)
    refusal = Refusal.model_validate(
        {
            "refusal_id": uuid.uuid4().hex,
            "employee_id": refused.employee_id,
            "reason": reason,
            "at": deps.clock(),
            "typed": typed,
            "client": client,
        }
    )
    await deps.refusals.add(refusal)
    await apply_refusal(deps, refusal)


def _new_challenge(deps: Deps, view: EmployeeView, client: str, now: datetime) -> Challenge:
    s = deps.settings
    challenge_id = uuid.uuid4().hex
    nonce = secrets.token_urlsafe(16)
    key = s.hmac_key.get_secret_value()
    code = derive_code(key, challenge_id, nonce, s.code_digits)
    return Challenge(
        challenge_id=challenge_id,
        employee_id=view.employee_id,
        mobile_key=hashed_mobile(deps, view.mobile) or "",
        client=client,
        code_hash=code_hash(key, challenge_id, code),
        code_nonce=nonce,
        created_at=now,
        expires_at=now + timedelta(seconds=s.code_ttl_seconds),
    )


async def _send(deps: Deps, challenge: Challenge, mobile: str, locale: Literal["en", "hi"]) -> None:
    """Publish the SMS request; the code is derived again and exists only sealed in it."""
    s = deps.settings
    key = s.hmac_key.get_secret_value()
    code = derive_code(key, challenge.challenge_id, challenge.code_nonce, s.code_digits)
    await deps.publish(
        topics.SMS_REQUESTS,
        SmsRequested(
            producer="otp",
            correlation_id=challenge.challenge_id,
            partition_key=challenge.challenge_id,
            source_version=challenge.send_number,
            challenge_id=challenge.challenge_id,
            send_number=challenge.send_number,
            mobile=mobile,
            sealed_code=seal(s.sms_seal_key.get_secret_value(), code),
            locale=locale,
            expires_at=challenge.expires_at,
        ),
    )


# --- verification and delivery -----------------------------------------------------


@dataclass(frozen=True)
class Verification:
    outcome: Outcome
    attempts_left: int | None = None
    employee_id: str | None = None


async def verify_otp(deps: Deps, challenge_id: str, code: str) -> Verification:
    """Compare in constant time; single use; wrong codes count per challenge and per employee."""
    s, now = deps.settings, deps.clock()
    challenge = await deps.challenges.get(challenge_id)
    if outcome := precheck(challenge, now):
        return Verification(outcome)
    assert challenge is not None
    view = await deps.views.get(challenge.employee_id)
    bound_to = challenge_binding(deps, view) if view is not None else None
    if not still_bound(challenge, bound_to):
        # Withdrawn after the send (the view's own invalidation may not have run yet).
        await deps.challenges.invalidate({challenge.employee_id: bound_to})
        return Verification("challenge_invalidated")
    if code_matches(s.hmac_key.get_secret_value(), challenge, code):
        if await deps.challenges.use(challenge_id):
            # NIST SP 800-63B 5.2.2: a success resets the failed-attempt count.
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


async def record_delivery(deps: Deps, challenge_id: str, delivery: Delivery, version: int) -> None:
    await deps.challenges.set_delivery(challenge_id, delivery, version)


# --- reconciliation reports ------------------------------------------------------------


@dataclass(frozen=True)
class OutOfScope:
    """A report the caller may not see (another office, or an HRD-only report)."""

    reason: str


def _check_ddo(report: Filter) -> OutOfScope | None:
    if report.ddo is not None and not report.scope.allows(report.ddo):
        return OutOfScope(f"DDO {report.ddo} is not one of your offices")
    return None


async def blocked_summary(deps: Deps, report: Filter) -> list[OfficeBlocked] | OutOfScope:
    """How many people are blocked per department and DDO, per gate reason code."""
    return _check_ddo(report) or await deps.reports.blocked_by_office(report)


def blocked_list(deps: Deps, report: Filter) -> AsyncIterator[BlockedPerson] | OutOfScope:
    """The blocked people of the offices in scope, so an office learns whom to certify."""
    return _check_ddo(report) or deps.reports.blocked_people(report)


async def readiness(deps: Deps, scope: Scope) -> list[PartReadiness] | OutOfScope:
    """Portal readiness per source part, for HRD only."""
    if not scope.is_hrd:
        return OutOfScope("the readiness summary is for HRD")
    return await deps.reports.readiness()
