"""Portal refusals kept as facts on the employee they name (pure).

When the portal's request names one employee (one Family ID candidate, or one mobile
candidate) and is refused because the other value does not match, the refusal is
recorded on that employee: their office learns whom to certify. Only masked values are
kept. A certification in force that corrects the refused field, and was not yet in force
when the refusals were seen, clears them; a later refusal starts a new count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from contracts.certification import CertificationTookEffect

MismatchReason = Literal["mobile_mismatch", "family_id_mismatch"]
MISMATCHES: frozenset[str] = frozenset({"mobile_mismatch", "family_id_mismatch"})
SEEN_CODE: dict[str, str] = {
    "mobile_mismatch": "mobile_mismatch_seen",
    "family_id_mismatch": "family_id_mismatch_seen",
}


class Refusal(BaseModel):
    """One refused portal request, as recorded (the typed value masked)."""

    model_config = ConfigDict(frozen=True)

    refusal_id: str
    employee_id: str
    reason: MismatchReason
    at: AwareDatetime
    typed: str  # masked: last digits or characters only
    client: str


class Seen(BaseModel):
    """Refusals of one kind seen on an employee since the field was last corrected."""

    model_config = ConfigDict(frozen=True)

    count: int
    first_at: datetime
    last_at: datetime
    last_typed: str
    last_client: str
    corrections_then: tuple[str, ...] = ()


def corrections(reason: str, certifications: Sequence[CertificationTookEffect]) -> tuple[str, ...]:
    """Ids of the certifications in `certifications` that correct the refused field."""
    if reason == "mobile_mismatch":
        return tuple(c.certification_id for c in certifications if c.corrected_mobile)
    return tuple(c.certification_id for c in certifications if c.corrected_family_id)


def cleared(reason: str, seen: Seen, certifications: Sequence[CertificationTookEffect]) -> bool:
    """True once a certification in force corrects the field after the refusals were seen."""
    return bool(set(corrections(reason, certifications)) - set(seen.corrections_then))


def seen_after(
    current: Seen | None, refusal: Refusal, certifications: Sequence[CertificationTookEffect]
) -> Seen:
    """The count after `refusal`: a new count when none is held or the held one is cleared."""
    if current is None or cleared(refusal.reason, current, certifications):
        return Seen(
            count=1,
            first_at=refusal.at,
            last_at=refusal.at,
            last_typed=refusal.typed,
            last_client=refusal.client,
            corrections_then=corrections(refusal.reason, certifications),
        )
    return current.model_copy(
        update={
            "count": current.count + 1,
            "last_at": max(current.last_at, refusal.at),
            "last_typed": refusal.typed,
            "last_client": refusal.client,
        }
    )


def outstanding(
    refusals: dict[str, Seen], certifications: Sequence[CertificationTookEffect]
) -> list[tuple[str, dict[str, object]]]:
    """The `*_seen` findings not cleared, with count, times, masked value and client."""
    found: list[tuple[str, dict[str, object]]] = []
    for reason in sorted(refusals):
        seen = refusals[reason]
        if cleared(reason, seen, certifications):
            continue
        found.append(
            (
                SEEN_CODE[reason],
                {
                    "count": seen.count,
                    "first_at": seen.first_at.isoformat(),
                    "last_at": seen.last_at.isoformat(),
                    "typed": seen.last_typed,
                    "client": seen.last_client,
                },
            )
        )
    return found
