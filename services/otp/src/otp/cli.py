"""`python -m otp evaluate < records.jsonl > decisions.jsonl`: the rules offline.

Each input line is an `EmployeeRecordReceived` JSON object, or
`{"record": {...}, "certifications": [...]}`. Each output line is the Decision, or
`{"line": n, "error": "..."}` for a line that cannot be read (the run goes on).
Exit code 0 when every line was decided, 1 otherwise. No server is needed, so an
auditor can check the rules on their own data.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from pydantic import BaseModel, ValidationError

from contracts.certification import CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived
from otp.domain.decision import decide
from servicekit.messaging import describe_validation_error


class EvaluationInput(BaseModel):
    record: EmployeeRecordReceived
    certifications: list[CertificationTookEffect] = []


def _parse(line: str) -> EvaluationInput:
    body: Any = json.loads(line)
    if isinstance(body, dict) and "record" in body:
        return EvaluationInput.model_validate(body)
    return EvaluationInput(record=EmployeeRecordReceived.model_validate(body))


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
    if argv[:1] != ["evaluate"]:
        sys.stderr.write("usage: python -m otp [evaluate < records.jsonl > decisions.jsonl]\n")
        return 2
    return evaluate(sys.stdin, sys.stdout, sys.stderr)
