"""Aadhaar-like numbers out of every text of a source row, before anything else sees it.

The decision is `servicekit.aadhaar` (the one function every service calls); here it is
applied to rows: every cell and every column name, with a count per field that the
batch report, the quarantine and the published record's issues carry. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ingest.domain.model import EmployeeDraft, FieldIssue, ParseStats
from ingest.domain.normalise import FieldError
from servicekit.aadhaar import redact_aadhaar, redact_fields
from servicekit.text import printable

HEADER = "header"
# Keys a record is filed under: a redacted one would file different people under one key.
ID_FIELDS = frozenset(
    {"hkrnl_id", "employee_id", "id", "employee_code", "emp_code", "code", "parent_code"}
)


def redact_cells(values: Mapping[str, str]) -> tuple[dict[str, str], dict[str, int]]:
    """The row's cells with every Aadhaar-like number replaced; counts per field."""
    return redact_fields(values)


def redact_header(names: Iterable[str], stats: ParseStats) -> list[str]:
    """Column names (or JSON keys) with Aadhaar-like numbers replaced, counted under
    `header` in the batch's totals, and control characters written printable."""
    clean = []
    for name in names:
        text, found = redact_aadhaar(name)
        if found:
            stats.aadhaar_redacted[HEADER] = stats.aadhaar_redacted.get(HEADER, 0) + found
        clean.append(printable(text))
    return clean


def tally(stats: ParseStats, redacted: Mapping[str, int]) -> None:
    """Add one row's redactions to the batch's totals per field."""
    for name, count in redacted.items():
        stats.aadhaar_redacted[name] = stats.aadhaar_redacted.get(name, 0) + count


def merge(into: dict[str, int], redacted: Mapping[str, int]) -> None:
    for name, count in redacted.items():
        into[name] = into.get(name, 0) + count


def issues_of(redacted: Mapping[str, int]) -> tuple[FieldIssue, ...]:
    """One issue per field that had Aadhaar-like numbers removed (the row's own report)."""
    return tuple(
        FieldIssue(field=name, reason=f"{name}: aadhaar_redacted {count}")
        for name, count in sorted(redacted.items())
    )


def with_redactions(draft: EmployeeDraft, redacted: Mapping[str, int]) -> EmployeeDraft:
    """The draft with its row's redactions listed among its issues."""
    if not redacted:
        return draft
    return draft.model_copy(update={"issues": (*draft.issues, *issues_of(redacted))})


def check_ids(redacted: Mapping[str, int]) -> None:
    """Reject a row whose id held an Aadhaar-like number: it cannot be published under the
    redacted id, and an Aadhaar number must not be an id."""
    for name in sorted(ID_FIELDS & redacted.keys()):
        raise FieldError(name, "holds an Aadhaar-like number, which cannot be an id (redacted)")
