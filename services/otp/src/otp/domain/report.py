"""Reconciliation reports: who may see what, and how a blocked person is shown (pure).

Departments see only their own offices (DDO or office codes in their officer token); HRD
sees every office. A listed person is shown with masked data only: name initials, a
masked mobile and Family ID, the gate's reason codes and the next step in English.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from otp.domain.reasons import REASONS
from servicekit.pii import mask_family_id, mask_mobile

# `department` is the scope this service documents; the others are the roles the
# certification service issues with the same secret. Any other role is refused.
OFFICER_ROLES = frozenset({"department", "administrative_secretary", "hod", "ddo", "hrd"})


def claims_problem(claims: Mapping[str, Any]) -> str | None:
    """Why an officer token's (verified) claims cannot be used, or None when they can:
    the role must be an officer's, and `offices` a list of office codes."""
    role, offices = claims.get("role"), claims.get("offices", [])
    if not isinstance(role, str) or role not in OFFICER_ROLES:
        return f"token role must be one of {', '.join(sorted(OFFICER_ROLES))}"
    if not isinstance(offices, list) or not all(isinstance(o, str) for o in offices):
        return "token claim 'offices' must be a list of office codes"
    return None


@dataclass(frozen=True)
class Scope:
    """The offices an officer may report on; `offices` None means every office (HRD)."""

    role: str
    offices: frozenset[str] | None = field(default=None)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Scope:
        role = str(claims["role"])
        if role == "hrd":
            return cls(role=role)
        return cls(role=role, offices=frozenset(str(o) for o in claims.get("offices", [])))

    @property
    def is_hrd(self) -> bool:
        return self.offices is None

    def allows(self, office: str | None) -> bool:
        return self.offices is None or (office is not None and office in self.offices)


@dataclass(frozen=True)
class Filter:
    """What a report covers: an office scope plus optional department and DDO filters."""

    scope: Scope
    department: str | None = None
    ddo: str | None = None


class OfficeBlocked(BaseModel):
    """Blocked people of one department and DDO, counted per gate reason code."""

    model_config = ConfigDict(frozen=True)

    department_code: str | None
    ddo_code: str | None
    blocked: int = Field(
        description="People whose OTP gate is closed or who were refused at the portal for a "
        "mobile or Family ID that does not match"
    )
    by_reason: dict[str, int] = Field(description="People per reason code (one may have several)")


class PartReadiness(BaseModel):
    """Portal readiness of the persons of one source part (I: HKRNL, II: direct contract,
    I+II: a person in both; None: no record). Counts persons, not ids."""

    model_config = ConfigDict(frozen=True)

    part: str | None
    total: int
    gate_open: int = Field(description="Gate open and no portal refusal outstanding")
    blocked: int = Field(description="Gate closed, or a mismatch refusal outstanding")
    blocked_by_reason: dict[str, int]
    eligibility: dict[str, int] = Field(description="eligible / not_eligible / undetermined")


@dataclass(frozen=True)
class BlockedPerson:
    """One blocked person as stored (effective contact data, unmasked: never shown as is)."""

    employee_id: str
    department_code: str | None
    ddo_code: str | None
    name: str | None
    mobile: str | None
    family_id: str | None
    reasons: tuple[str, ...]
    refusals_seen: int = 0  # portal refusals outstanding (mobile or Family ID mismatch)
    last_refused_at: str | None = None


CSV_HEADER = (
    "employee_id",
    "department_code",
    "ddo_code",
    "name_initials",
    "mobile",
    "family_id",
    "reason_codes",
    "next_step_en",
    "refusals_seen",
    "last_refused_at",
)


def initials(name: str | None) -> str:
    """'Sunita Devi' -> 'S. D.'; works for Devanagari names as well."""
    if not name:
        return "-"
    return " ".join(f"{word[0]}." for word in name.split())


def csv_row(person: BlockedPerson) -> tuple[str, ...]:
    """The CSV cells of one blocked person: masked, and safe to open in a spreadsheet."""
    steps = [REASONS[c].next_step_en for c in person.reasons if c in REASONS]
    cells = (
        person.employee_id,
        person.department_code or "",
        person.ddo_code or "",
        initials(person.name),
        mask_mobile(person.mobile),
        mask_family_id(person.family_id),
        ";".join(person.reasons),
        "; ".join(dict.fromkeys(steps)),
        str(person.refusals_seen),
        person.last_refused_at or "",
    )
    return tuple(_inert(cell) for cell in cells)


def _inert(cell: str) -> str:
    """Cells starting like a formula are quoted so a spreadsheet shows them as text."""
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@") and cell != "-" else cell


def merge_counts(rows: Sequence[tuple[str, int]]) -> dict[str, int]:
    """(code, count) pairs into a mapping sorted by code, for stable reports."""
    merged: dict[str, int] = {}
    for code, count in rows:
        merged[code] = merged.get(code, 0) + count
    return dict(sorted(merged.items()))
