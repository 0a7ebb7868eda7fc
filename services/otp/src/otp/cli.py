"""`python -m otp evaluate < records.jsonl > decisions.jsonl`: the rules offline.

Each input line is an `EmployeeRecordReceived` JSON object, or
`{"record": {...}, "certifications": [...]}`. Each output line is the Decision, or
`{"line": n, "error": "..."}` for a line that cannot be read (the run goes on).
Exit code 0 when every line was decided, 1 otherwise. No server is needed, so an
auditor can check the rules on their own data.

Contact fields are checked as ingest checks them (`servicekit.contact`): a mobile or
Family ID that is not well formed counts as missing, with the reason among the record's
issues, so the gate explains it as it would for ingested data.

The three source files (HKRNL, e-Billing, master data) are read by ingest's parsers,
which this package may not import (a service imports contracts, never another service):
`python -m scripts.evaluate --hkrnl ... --ebilling ... --master ...` does that.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from pydantic import BaseModel, ValidationError

from contracts.certification import CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived, FieldIssue
from otp.domain.decision import decide
from servicekit.contact import check_family_id, check_mobile
from servicekit.messaging import describe_validation_error

SOURCE_FILES = ("--hkrnl", "--ebilling", "--master")


class EvaluationInput(BaseModel):
    record: EmployeeRecordReceived
    certifications: list[CertificationTookEffect] = []


def _parse(line: str) -> EvaluationInput:
    body: Any = json.loads(line)
    if isinstance(body, dict) and "record" in body:
        item = EvaluationInput.model_validate(body)
    else:
        item = EvaluationInput(record=EmployeeRecordReceived.model_validate(body))
    return item.model_copy(update={"record": checked_contact(item.record)})


def checked_contact(record: EmployeeRecordReceived) -> EmployeeRecordReceived:
    """The record with its mobile and Family ID checked as ingest checks them."""
    issues = list(record.issues)
    values: dict[str, str | None] = {}
    for field, check in (("mobile", check_mobile), ("family_id", check_family_id)):
        value, reason = check(getattr(record, field))
        values[field] = value
        if reason and not any(issue.field == field for issue in issues):
            issues.append(FieldIssue(field=field, reason=reason))
    return record.model_copy(update={**values, "issues": tuple(issues)})


def evaluate(stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    decided = failed = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            item = _parse(line)
        except (ValidationError, ValueError) as error:
            reason, _ = describe_validation_error(error)
            stdout.write(json.dumps({"line": number, "error": reason}, ensure_ascii=False) + "\n")
            failed += 1
            continue
        decision = decide(item.record.employee_id, item.record, item.certifications)
        stdout.write(decision.model_dump_json() + "\n")
        decided += 1
    stderr.write(f"decided {decided}, failed {failed}\n")
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["evaluate"] and any(a.split("=")[0] in SOURCE_FILES for a in argv[1:]):
        sys.stderr.write(
            "source files are read by ingest's parsers: "
            "python -m scripts.evaluate --hkrnl FILE --ebilling FILE --master FILE\n"
        )
        return 2
    if argv[:1] != ["evaluate"]:
        sys.stderr.write("usage: python -m otp [evaluate < records.jsonl > decisions.jsonl]\n")
        return 2
    return evaluate(sys.stdin, sys.stdout, sys.stderr)
