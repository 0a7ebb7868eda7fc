"""OTP challenges: codes kept only as keyed hashes, single use, attempt-limited (pure).

A code is never stored, not even sealed: it is derived from the server key, the
challenge id and a per-challenge nonce (`derive_code`), so a re-send recomputes the same
code and seals it into the SMS request alone. What MongoDB holds (the nonce and the keyed
hash) gives no code to anyone without the server key."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import pyotp
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Delivery = Literal["queued", "sent", "delivered", "failed"]
# "invalidated": what allowed the challenge was withdrawn (the employee's mobile changed or
# the gate closed) before the code was used.
State = Literal["active", "verified", "locked", "invalidated"]
Outcome = Literal[
    "verified",
    "wrong_code",
    "expired",
    "locked",
    "already_used",
    "not_found",
    "challenge_invalidated",
]
# Why a send is held back: the refusal reason codes of an OTP request.
Held = Literal["challenge_locked", "rate_limited"]


@dataclass(frozen=True)
class Admitted:
    """A send the employee's guard let through. `others_live`: an earlier challenge of the
    employee, to another mobile (or one the guard did not record), may still be live."""

    others_live: bool


class Challenge(BaseModel):
    """One OTP sent (and perhaps re-sent) to one employee's mobile, which it holds only
    as a keyed hash (`mobile_key`): the SMS request carries the mobile from the view."""

    model_config = ConfigDict(frozen=True)

    challenge_id: str
    employee_id: str
    mobile_key: str = ""
    client: str
    code_hash: str
    code_nonce: str = Field(default="", description="Random; the code derives from it")
    created_at: AwareDatetime
    expires_at: AwareDatetime
    attempts: int = 0
    state: State = "active"
    send_number: int = 1
    delivery: Delivery = "queued"
    delivery_version: int = 0

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


def code_hash(key: str, challenge_id: str, code: str) -> str:
    """HMAC-SHA256 of the code under the server key, bound to its challenge."""
    return hmac.new(key.encode(), f"{challenge_id}:{code}".encode(), hashlib.sha256).hexdigest()


def derive_code(key: str, challenge_id: str, nonce: str, digits: int) -> str:
    """The challenge's code: an HOTP (RFC 4226, pyotp) whose secret is HMAC-SHA256 of the
    challenge id and nonce under the server key, labelled apart from `code_hash`."""
    secret = hmac.new(key.encode(), f"code:{challenge_id}:{nonce}".encode(), hashlib.sha256)
    return pyotp.HOTP(base64.b32encode(secret.digest()).decode(), digits=digits).at(0)


def code_matches(key: str, challenge: Challenge, code: str) -> bool:
    return hmac.compare_digest(code_hash(key, challenge.challenge_id, code), challenge.code_hash)


def precheck(challenge: Challenge | None, now: datetime) -> Outcome | None:
    """The outcome decided before the code is even compared, if any."""
    if challenge is None:
        return "not_found"
    if challenge.state == "verified":
        return "already_used"
    if challenge.state == "locked":
        return "locked"
    if challenge.state == "invalidated":
        return "challenge_invalidated"
    if challenge.expired(now):
        return "expired"
    return None


def binding(mobile_key: str | None, gate_open: bool) -> str | None:
    """What a live challenge of an employee is bound to: (the keyed hash of) the mobile it
    may be sent to while the gate is open; None when no challenge may live."""
    return mobile_key if gate_open else None


def still_bound(challenge: Challenge, current: str | None) -> bool:
    """The challenge was sent to the mobile the employee's view holds now, gate open."""
    return current is not None and hmac.compare_digest(current, challenge.mobile_key)


def lock_duration(previous_locks: int, first: int, longest: int) -> timedelta:
    """Each lock of an employee lasts twice the one before, up to `longest` seconds."""
    return timedelta(seconds=min(first * 2**previous_locks, longest))
