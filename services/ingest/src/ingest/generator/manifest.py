"""The manifest: what was generated and what a correct ingest must report, per file and
per employee id."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.generator.people import Person


@dataclass
class Expected:
    received: int = 0
    accepted: int = 0
    rejected: int = 0
    employees: int = 0  # drafts the parser yields (a duplicated row counts twice)
    distinct_employees: int = 0  # distinct employee ids among them (published on first upload)


@dataclass
class Manifest:
    """What was generated and what a correct ingest must report."""

    seed: int
    employees: int
    defect_mix: dict[str, Any]
    files: dict[str, str]
    expected: dict[str, Expected]
    missing_master: dict[str, list[str]]
    aadhaar_columns: dict[str, list[str]]
    people: list[dict[str, Any]] = field(default_factory=list)
    # e-Billing ids master data makes excluded: "centrally_sponsored", "part_time"
    ebilling_exclusions: dict[str, list[str]] = field(default_factory=dict)
    unclassified_heads: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The manifest as JSON-ready data (people are not copied)."""
        head = {k: v for k, v in vars(self).items() if k not in ("expected", "people")}
        expected = {source: asdict(counts) for source, counts in self.expected.items()}
        return {**head, "expected": expected, "people": self.people}


def entry(p: Person, employee_id: str, defects: list[str], accepted: bool) -> dict[str, Any]:
    """The manifest's entry for one employee id of the person."""
    return {
        "employee_id": employee_id,
        "person": p.person,
        "defects": defects,
        "accepted": accepted,
        "true_mobile": p.mobile,
        "true_family_id": p.family_id,
        "record_mobile": p.record_mobile,
        "record_family_id": p.record_family_id,
        "department_code": p.dept,
        "office_code": p.office,
        "ddo_code": p.ddo,
    }
