"""The OTP request use case: find the employee the portal means, pass every limit, send a
new challenge or re-send the live one. No FastAPI or FastStream here.

An accepted first send makes three MongoDB round trips, one command each
(docs/benchmarks.md, "MongoDB commands per call"):
1. one read: the views of the typed Family ID and mobile with their employees' guards,
   and the refusal counters of both (the portal client's allowance is counted beside it,
   claimed a share at a time);
2. the employee's guard (lock, cool-down, send count) and the per-mobile send count: one
   bulk write, decided on the guard as step 1 read it (held sends answered from the read);
   side by side as two commands when the guard changed since;
3. the live challenge to this mobile re-sent, or a new one stored; the employee's other
   live challenges are invalidated when the guard says one may be live for another mobile.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from contracts import topics
from contracts.otp import SmsRequested
from otp import refusal_policy
from otp.deps import Deps
from otp.domain.challenge import Admitted, Challenge, Held, code_hash, derive_code
from otp.domain.lookup import Candidate, Lookup
from otp.domain.refusal import MISMATCHES, Refusal
from otp.refusal_policy import IDENTITY_REFUSALS
from otp.views import apply_refusal, hashed_mobile
from servicekit.aadhaar import new_id
from servicekit.contact import family_id_text, strip_mobile
from servicekit.pii import mask_family_id, mask_mobile
from servicekit.sealing import seal

HOUR = 3600


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
    """The ten digits of a mobile as typed, read as ingest reads source files
    (`servicekit.contact`); what spells no mobile is kept (without separators and prefix),
    so it matches no one."""
    return strip_mobile(value.strip())


def normalise_family_id(value: str) -> str:
    return family_id_text(value) or value.strip().upper()


def find_employee(lookup: Lookup, mobile: str) -> Candidate | Refused:
    """The employee the portal means, or why none can be named.

    A record that lacks the very field the portal could not match is returned as it is,
    so its stored gate reason (`mobile_missing`, `family_id_missing`) is what is shown."""
    candidates = lookup.by_family_id
    if not candidates:
        by_mobile = lookup.by_mobile
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


def one_person(views: Sequence[Candidate]) -> str | None:
    """The employee a refusal names: the only candidate, or, when the candidates are the
    linked records of one person, the first of their ids; None for several people."""
    ids = sorted(view.employee_id for view in views)
    if len(ids) == 1:
        return ids[0]
    groups = {view.person_ids for view in views}
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
    family_id, mobile = normalise_family_id(family_id), normalise_mobile(mobile)
    keys = refusal_policy.keys(s, family_id, mobile)
    client_wait, lookup = await asyncio.gather(
        deps.guards.allow(f"client:{client}", s.requests_per_client_per_minute, 60, now),
        deps.reads.candidates(family_id, mobile, keys, refusal_policy.WINDOW_SECONDS, now),
    )
    if client_wait:
        return Refused(("rate_limited",), retry_after=client_wait)
    if wait := refusal_policy.throttled(s, lookup.refusals, now):
        return Refused(("rate_limited",), retry_after=wait)
    found = find_employee(lookup, mobile)
    if isinstance(found, Refused):
        await record_refusal(deps, found, family_id, mobile, client)
        return await refusal_revealed(deps, found, keys, now)
    view = found
    if not view.gate_open:
        return Refused(view.gate_reasons if view.decided else ("no_record",))
    if view.mobile is None:  # the person's gate is open on a linked record, not this one
        return Refused(("mobile_missing",))
    mobile_key = hashed_mobile(deps, view.mobile) or ""
    admitted, mobile_wait = await _admit(deps, view, mobile_key, now)
    if not isinstance(admitted, Admitted):
        reason, wait = admitted
        return Refused((reason,), retry_after=wait)
    if mobile_wait:
        return Refused(("rate_limited",), retry_after=mobile_wait)
    # A live challenge to this mobile is sent again (same code, send number + 1); else this
    # new one, and any other live one (sent to a mobile since corrected) is invalidated.
    fresh, code = _new_challenge(deps, view, mobile_key, client, now)
    challenge = await deps.challenges.live_or_new(fresh, now)
    if challenge.send_number == 1 and admitted.others_live:
        await deps.challenges.invalidate_others(challenge)
    if challenge.challenge_id != fresh.challenge_id:  # the live one: its code, derived again
        code = _code(deps, challenge)
    await _send(deps, challenge, view.mobile, code, locale)
    return Accepted(challenge.challenge_id, challenge.expires_at, challenge.send_number)


async def _admit(
    deps: Deps, view: Candidate, mobile_key: str, now: datetime
) -> tuple[tuple[Held, int] | Admitted, int | None]:
    """The employee's guard (lock, cool-down, sends in the hour) and the mobile's count:
    in one command on the guard as the look-up read it, else (the guard changed since)
    both side by side, the mobile's count given back when the guard held the send."""
    s = deps.settings
    limits = (s.sends_per_employee_per_hour, s.sends_per_mobile_per_hour)
    if view.guard is not None:
        decided = await deps.guards.send_as_read(
            view.employee_id,
            view.guard,
            limits,
            HOUR,
            s.send_cooldown_seconds,
            now,
            sent_to=mobile_key,
            live_seconds=s.code_ttl_seconds,
        )
        if decided is not None:
            return decided
    admitted, mobile_wait = await asyncio.gather(
        deps.guards.admit_send(
            view.employee_id,
            limits[0],
            HOUR,
            s.send_cooldown_seconds,
            now,
            sent_to=mobile_key,
            live_seconds=s.code_ttl_seconds,
        ),
        deps.guards.hit(f"mobile:{mobile_key}", limits[1], HOUR, now),
    )
    if not isinstance(admitted, Admitted):
        # Held back: the mobile's count, taken side by side, is given back (no SMS goes).
        await deps.guards.unhit(f"mobile:{mobile_key}", HOUR, now)
    return admitted, mobile_wait


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
            "refusal_id": new_id(),
            "employee_id": refused.employee_id,
            "reason": reason,
            "at": deps.clock(),
            "typed": typed,
            "client": client,
        }
    )
    await deps.refusals.add(refusal)
    await apply_refusal(deps, refusal)


def _new_challenge(
    deps: Deps, view: Candidate, mobile_key: str, client: str, now: datetime
) -> tuple[Challenge, str]:
    """A new challenge to the view's mobile, and its code (derived once: it is hashed into
    the challenge and sealed into the SMS request, never stored)."""
    s = deps.settings
    challenge_id = new_id()
    nonce = secrets.token_urlsafe(16)
    key = s.hmac_key.get_secret_value()
    code = derive_code(key, challenge_id, nonce, s.code_digits)
    challenge = Challenge(
        challenge_id=challenge_id,
        employee_id=view.employee_id,
        mobile_key=mobile_key,
        client=client,
        code_hash=code_hash(key, challenge_id, code),
        code_nonce=nonce,
        created_at=now,
        expires_at=now + timedelta(seconds=s.code_ttl_seconds),
    )
    return challenge, code


def _code(deps: Deps, challenge: Challenge) -> str:
    """The code of a stored challenge, derived again from its nonce."""
    s = deps.settings
    return derive_code(
        s.hmac_key.get_secret_value(), challenge.challenge_id, challenge.code_nonce, s.code_digits
    )


async def _send(
    deps: Deps, challenge: Challenge, mobile: str, code: str, locale: Literal["en", "hi"]
) -> None:
    """Publish the SMS request; the code exists only sealed in it."""
    s = deps.settings
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
