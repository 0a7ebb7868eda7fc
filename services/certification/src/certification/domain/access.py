"""Who may do what (seed 000: officers certify their own offices; seed 001: HRD advises).

Pure rules over a verified principal; the token layer turns a bearer token into one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from certification.domain.model import Certification, Role
from certification.domain.refusal import Refusal

OFFICER_ROLES: frozenset[Role] = frozenset({"administrative_secretary", "hod", "ddo"})


@dataclass(frozen=True)
class Principal:
    sub: str
    role: Role
    offices: frozenset[str]

    @property
    def is_hrd(self) -> bool:
        return self.role == "hrd"

    def covers_office(self, office: str) -> bool:
        return office in self.offices


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
    if who.is_hrd or who.covers_office(cert.submission.office_code):
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
