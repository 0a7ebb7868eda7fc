"""Records linked across sources decided as one person (pure). See docs/otp-rules.md.

The OTP gate is checked per source record as for anyone; the person's gate is open when
any of their records' gate is open (an open gate always has a valid mobile). Eligibility
is decided once, on the records' service aggregated (a day two sources both pay counts
once, HKRNL's deployments first), with every certification in force on any of the ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from contracts.certification import CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived
from otp.domain.decision import Decision, Finding, Gate, decide, eligibility_of, gate_of
from otp.domain.service import counted_once


@dataclass(frozen=True)
class Member:
    """One id of the person: its source record and the certifications in force on it."""

    employee_id: str
    record: EmployeeRecordReceived
    certifications: tuple[CertificationTookEffect, ...]


def person_gate(members: Sequence[Member]) -> Gate:
    """Open when any record's gate is open; else every record's reasons, per code."""
    gates = [(m.employee_id, gate_of(m.record, m.certifications)) for m in members]
    if any(gate.open for _, gate in gates):
        return Gate(open=True)
    by_code: dict[str, dict[str, Any]] = {}
    for employee_id, gate in gates:
        for finding in gate.reasons:
            by_code.setdefault(finding.code, {})[employee_id] = finding.evidence
    return Gate(
        open=False,
        reasons=tuple(
            Finding(code=code, evidence={"by_record": records}) for code, records in by_code.items()
        ),
    )


def person_record(members: Sequence[Member]) -> EmployeeRecordReceived:
    """One record standing for the person: service of all sources counted once, the
    earliest joining, the Part-II engagement's remuneration, and an exclusion (centrally
    sponsored, part-time) that any of the records carries."""
    ordered = sorted(members, key=lambda m: (m.record.source != "hkrnl", m.employee_id))
    records = [m.record for m in ordered]
    direct = [r for r in records if r.part == "II"]
    base = direct[0] if direct else records[0]
    joinings = [r.date_of_joining for r in records if r.date_of_joining]
    births = [r.date_of_birth for r in records if r.date_of_birth]
    return base.model_copy(
        update={
            "service_periods": tuple(counted_once(r.service_periods for r in records)),
            "date_of_joining": min(joinings, default=None),
            "date_of_birth": births[0] if births else None,
            "scheme": "centrally_sponsored"
            if any(r.scheme == "centrally_sponsored" for r in records)
            else "state",
            "employment": "part_time"
            if any(r.employment == "part_time" for r in records)
            else "full_time",
        }
    )


def decide_person(employee_id: str, members: Sequence[Member]) -> Decision:
    """The person's decision as shown for `employee_id`, one of `members`' ids. With one
    member it is that record's own decision."""
    if len(members) == 1:
        [only] = members
        return decide(employee_id, only.record, only.certifications)
    certifications = sorted(
        {c.certification_id: c for m in members for c in m.certifications}.values(),
        key=lambda cert: (cert.effective_at, cert.certification_id),
    )
    return Decision(
        employee_id=employee_id,
        gate=person_gate(members),
        eligibility=eligibility_of(person_record(members), certifications),
        person_ids=tuple(sorted(m.employee_id for m in members)),
    )
