"""The decision the OTP service shows beside the OTP gate: pure, versioned, explained.

Two parts, each with machine-readable reason codes and the evidence behind each:
- the OTP gate (may an OTP be sent at all), and
- provisional eligibility under the Act (the DDO/HOD decides finally; we explain).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.certification import CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived
from otp.domain.rules import Found, gate_findings, provisional_eligibility
from otp.domain.service import Credit, certified_years, with_certified_service

RULE_SET_VERSION = "act-2024.rules-2025.v3"
APPOINTED_DATE = date(2024, 8, 15)
SERVICE_CODES = frozenset({"qualifying_service", "short_service", "service_before_data"})


class Finding(BaseModel):
    """One reason code and the facts behind it (PII masked)."""

    model_config = ConfigDict(frozen=True)

    code: str
    evidence: dict[str, Any] = Field(default_factory=dict)


class Gate(BaseModel):
    model_config = ConfigDict(frozen=True)

    open: bool
    reasons: tuple[Finding, ...] = ()


class Eligibility(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: Literal["eligible", "not_eligible", "undetermined"]
    reasons: tuple[Finding, ...] = ()
    qualifying_years: int | None = None
    additional_remuneration_percent: int | None = None


class Decision(BaseModel):
    model_config = ConfigDict(frozen=True)

    employee_id: str
    gate: Gate
    eligibility: Eligibility
    person_ids: tuple[str, ...] = Field(
        default=(),
        description="All ids of this person across sources when records are linked; the "
        "decision is then the person's, the same for every id",
    )
    refusals_seen: tuple[Finding, ...] = Field(
        default=(),
        description="Portal refusals for a mismatching mobile or Family ID not yet cleared "
        "by a correcting certification (`mobile_mismatch_seen`, `family_id_mismatch_seen`)",
    )
    rule_set_version: str = RULE_SET_VERSION

    @property
    def blocked_codes(self) -> list[str]:
        """Why the office must act: the closed gate's reasons, then refusals seen."""
        return [f.code for f in self.gate.reasons] + [f.code for f in self.refusals_seen]


def decide(
    employee_id: str,
    record: EmployeeRecordReceived | None,
    certifications: Sequence[CertificationTookEffect],
) -> Decision:
    """Decide gate and provisional eligibility for one employee.

    `certifications` are those in force (HRD advice recorded, not revoked). Pure: the
    same inputs always give the same decision, whatever the day it runs.
    """
    return Decision(
        employee_id=employee_id,
        gate=gate_of(record, certifications),
        eligibility=eligibility_of(record, certifications),
    )


def gate_of(
    record: EmployeeRecordReceived | None, certifications: Sequence[CertificationTookEffect]
) -> Gate:
    """The OTP gate of one source record."""
    reasons = tuple(
        Finding(code=code, evidence=evidence)
        for code, evidence in gate_findings(record, certifications)
    )
    return Gate(open=not reasons, reasons=reasons)


def eligibility_of(
    record: EmployeeRecordReceived | None, certifications: Sequence[CertificationTookEffect]
) -> Eligibility:
    """Provisional eligibility on `record`'s data plus the certified service."""
    credits: list[Credit] = []
    if record is not None:
        record, credits = with_certified_service(record, certifications)
    status, reasons, years, tier = provisional_eligibility(record, APPOINTED_DATE)
    if credits and record is not None:
        heads = {c.certification_id: c.head_of_account_used for c in certifications}
        reasons = _with_credits(reasons, credits, record.date_of_joining, heads)
    return Eligibility(
        status=status,
        reasons=tuple(Finding(code=code, evidence=evidence) for code, evidence in reasons),
        qualifying_years=years,
        additional_remuneration_percent=tier,
    )


def _with_credits(
    reasons: list[Found], credits: list[Credit], joining: date | None, heads: dict[str, str | None]
) -> list[Found]:
    """The service findings, naming which years came from which certification (and the
    head of account the office says the pay was drawn from)."""
    years = certified_years(credits, joining, APPOINTED_DATE)
    periods = [
        {
            "certification_id": cert_id,
            "from": p.start.isoformat(),
            "to": p.end.isoformat(),
            "head_of_account_used": heads.get(cert_id),
        }
        for cert_id, p in credits
    ]
    return [
        (code, {**evidence, "certified_periods": periods, "certified_years": years})
        if code in SERVICE_CODES
        else (code, evidence)
        for code, evidence in reasons
    ]
