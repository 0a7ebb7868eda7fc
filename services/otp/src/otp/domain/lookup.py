"""What the portal's two calls read, in the shape they need it (pure): the employees a
typed Family ID or mobile names, as far as a request must know them, and a challenge with
what it is checked against at verification."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from otp.domain.challenge import Challenge


@dataclass(frozen=True)
class SendGuard:
    """The employee's guard as the request's look-up read it: what a send checks (lock,
    cool-down, the window's count, where the last send went). All unset: no guard yet."""

    locked_until: datetime | None = None
    last_send_at: datetime | None = None
    last_sent_to: str | None = None
    sends: int = 0
    send_window: int | None = None


@dataclass(frozen=True)
class Candidate:
    """An employee's view as an OTP request needs it: the effective Family ID and mobile
    (certified corrections applied), the gate and the ids of the same person."""

    employee_id: str
    family_id: str | None
    mobile: str | None
    decided: bool
    gate_open: bool = False
    gate_reasons: tuple[str, ...] = ()
    person_ids: tuple[str, ...] = ()
    guard: SendGuard | None = None  # read with the look-up; None: not read


@dataclass(frozen=True)
class Lookup:
    """One request's reads: the views of the typed Family ID, those of the typed mobile,
    and the most identity refusals counted against either in the current window."""

    by_family_id: Sequence[Candidate]
    by_mobile: Sequence[Candidate]
    refusals: int


@dataclass(frozen=True)
class ToVerify:
    """A challenge with, read together with it, the employee's view as it is now (`mobile`
    and `gate_open`; `viewed` False when no view is held) and their wrong-code count."""

    challenge: Challenge
    viewed: bool
    mobile: str | None
    gate_open: bool
    failures: int
