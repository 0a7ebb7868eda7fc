"""The state machine: submitted -> hrd_advised -> effective -> revoked, with
submitted|hrd_advised -> rejected. Every transition adds one to the version and
records a step; an invalid one is refused naming the current state."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from certification.domain.access import Principal
from certification.domain.model import Certification, Letter, State, Step, Submission
from certification.domain.refusal import Refusal

ALLOWED: dict[str, tuple[State, ...]] = {
    "advise": ("submitted",),
    "activate": ("hrd_advised",),
    "reject": ("submitted", "hrd_advised"),
    "revoke": ("effective",),
}
TARGET: dict[str, State] = {
    "advise": "hrd_advised",
    "activate": "effective",
    "reject": "rejected",
    "revoke": "revoked",
}


def submit(
    cert_id: str, submission: Submission, letter: Letter | None, who: Principal, now: datetime
) -> Certification:
    step = Step(state="submitted", version=1, at=now, by=who.sub, role=who.role)
    return Certification(
        id=cert_id,
        submission=submission,
        letter=letter,
        state="submitted",
        version=1,
        submitted_by=who.sub,
        submitted_at=now,
        history=(step,),
    )


def _move(
    cert: Certification, action: str, who: Principal, now: datetime, **fields: Any
) -> Certification | Refusal:
    if cert.state not in ALLOWED[action]:
        allowed = " or ".join(ALLOWED[action])
        return Refusal(
            "invalid_transition",
            f"cannot {action} a certification in state {cert.state}; it must be {allowed}",
            current_state=cert.state,
        )
    state, version = TARGET[action], cert.version + 1
    step = Step(state=state, version=version, at=now, by=who.sub, role=who.role)
    return cert.model_copy(
        update={"state": state, "version": version, "history": (*cert.history, step), **fields}
    )


def advise(
    cert: Certification, number: str, on: date, who: Principal, now: datetime
) -> Certification | Refusal:
    return _move(cert, "advise", who, now, hrd_advice_number=number, hrd_advice_date=on)


def activate(cert: Certification, who: Principal, now: datetime) -> Certification | Refusal:
    return _move(cert, "activate", who, now, effective_at=now)


def reject(
    cert: Certification, reason: str, who: Principal, now: datetime
) -> Certification | Refusal:
    return _move(cert, "reject", who, now, rejection_reason=reason)


def revoke(
    cert: Certification, reason: str, who: Principal, now: datetime
) -> Certification | Refusal:
    return _move(
        cert,
        "revoke",
        who,
        now,
        revocation_reason=reason,
        revoked_by_role=who.role,
        revoked_at=now,
    )
