"""Who may do what (seed 000: officers certify their own offices; seed 001: HRD advises).

Pure rules over a verified principal; the token layer turns a bearer token into one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from certification.domain.model import Certification, Placement, Role
from certification.domain.refusal import Refusal

OFFICER_ROLES: frozenset[Role] = frozenset({"administrative_secretary", "hod", "ddo"})


@dataclass(frozen=True)
class Principal:
    """A verified officer; `offices` already holds those of their department (if any)."""

    sub: str
    role: Role
    offices: frozenset[str]
    department: str | None = None

    @property
    def is_hrd(self) -> bool:
        return self.role == "hrd"

    def covers_office(self, office: str) -> bool:
        return office in self.offices


def may_submit_for(who: Principal, placement: Placement | None, employee_id: str) -> Refusal | None:
    """The source data, not the submission, says which office an employee belongs to."""
    if placement is None:
        return Refusal(
            "employee_not_in_source_data",
            f"no source (HKRNL, e-Billing) holds employee {employee_id}",
        )
    if not who.offices & placement.offices():
        where = placement.office_code or "no office"
        return Refusal(
            "employee_not_in_your_offices",
            f"the source data places employee {employee_id} in {where}, outside your offices",
        )
    return None


def may_submit(who: Principal, office_code: str, officer_role: str) -> Refusal | None:
    if who.role not in OFFICER_ROLES:
        return Refusal("forbidden", f"role {who.role} cannot submit certifications")
    if not who.covers_office(office_code):
        return Refusal("forbidden", f"office {office_code} is outside your scope")
    if officer_role != who.role:
        return Refusal(
            "forbidden", f"officer_role {officer_role} differs from your token's role {who.role}"
        )
    return None


def may_decide(who: Principal, action: str) -> Refusal | None:
    """Advice, activation and rejection belong to HRD alone (seed 001)."""
    if not who.is_hrd:
        return Refusal("forbidden", f"only HRD may {action}; your role is {who.role}")
    return None


def may_revoke(who: Principal, cert: Certification) -> Refusal | None:
    """HRD, the certifying office, and the office the data placed the employee in."""
    placed = cert.placement.office_code if cert.placement else None
    if who.is_hrd or who.covers_office(cert.submission.office_code):
        return None
    if placed is not None and who.covers_office(placed):
        return None
    return Refusal("forbidden", f"office {cert.submission.office_code} is outside your scope")


def may_read(who: Principal, cert: Certification) -> Refusal | None:
    return may_revoke(who, cert)


def visible_offices(who: Principal, asked: str | None) -> Iterable[str] | Refusal | None:
    """Offices a listing may show: None means all (HRD)."""
    if who.is_hrd:
        return None if asked is None else [asked]
    if asked is None:
        return sorted(who.offices)
    if not who.covers_office(asked):
        return Refusal("forbidden", f"office {asked} is outside your scope")
    return [asked]


def may_verify_audit(who: Principal) -> Refusal | None:
    return may_decide(who, "verify the audit trail")
