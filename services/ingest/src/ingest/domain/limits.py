"""How long a source field, a column name and a row may be, and which characters they may
hold. Pure.

Every value is checked against the limit of its field before it is parsed: a longer one
rejects its row, naming the field, its length and the limit; so does a value holding a
lone surrogate or a control character (`servicekit.text`). What is kept of a rejected row
(the quarantine's `raw`, the dead letter's payload) is clipped to the same bounds and
written printable, so one hostile value can never make a message or a document too large
or impossible to write.
"""

from __future__ import annotations

from collections.abc import Mapping

from ingest.domain.normalise import FieldError
from servicekit.text import printable, text_problem

CODE = 64
DATE = 40
NUMBER = 32
LABEL = 200
FIELD_LIMITS: dict[str, int] = {
    **dict.fromkeys(("hkrnl_id", "employee_id", "id", "employee_code", "emp_code"), CODE),
    **dict.fromkeys(("department_code", "office_code", "post_code", "ddo_code"), CODE),
    **dict.fromkeys(("code", "parent_code", "entity_type", "parent_type", "active"), CODE),
    **dict.fromkeys(("employment", "scheme", "head_of_account"), CODE),
    **dict.fromkeys(("date_of_birth", "date_of_joining", "month"), DATE),
    **dict.fromkeys(("mobile", "family_id", "amount", "days_paid"), NUMBER),
    "monthly_remuneration": NUMBER,
    **dict.fromkeys(("name", "district", "treasury"), LABEL),
    "deployments": 8000,  # about 360 'dd-mm-yyyy:dd-mm-yyyy' periods
}
OTHER = 1000  # any column the parsers do not read (kept only in a rejected row's raw)
NAME = 100  # a column name or JSON key
FIELDS = 200  # cells in one row
CLIP = 200  # characters of an over-long value kept in a rejected row's raw


def limit_of(field: str) -> int:
    return FIELD_LIMITS.get(field, OTHER)


def check(cells: Mapping[str, str]) -> None:
    """Raise `FieldError` for the first name, field or row that is too long or holds a
    refused character. A bad column name rejects with `field = "row"`, so that the
    rejection itself never carries it."""
    if len(cells) > FIELDS:
        raise FieldError("row", f"has {len(cells)} fields; at most {FIELDS}")
    # the usual case, found with one search of the whole row: no refused character at all
    fit = text_problem("".join([*cells, *cells.values()])) is None
    limit_for = FIELD_LIMITS.get
    for name, value in cells.items():
        if len(name) > NAME:
            raise FieldError("row", f"a column name is {len(name)} characters long; at most {NAME}")
        if not fit and (problem := text_problem(name)):
            raise FieldError("row", f"a column name {problem}")
        if len(value) > (limit := limit_for(name, OTHER)):
            raise FieldError(name, f"is {len(value)} characters long; at most {limit}")
        if not fit and (problem := text_problem(value)):
            raise FieldError(name, problem)


def clip_text(text: str, limit: int) -> str:
    """`text`, or its first characters and its length when longer than `limit`."""
    if len(text) <= limit:
        return printable(text)
    return f"{printable(text[:CLIP])}... ({len(text)} characters, clipped)"


def clip(raw: Mapping[str, str]) -> dict[str, str]:
    """A row as it may be kept: values and names clipped, at most `FIELDS` fields."""
    kept: dict[str, str] = {}
    for index, (name, value) in enumerate(raw.items()):
        if index == FIELDS:
            kept["..."] = f"{len(raw) - FIELDS} more fields, not kept"
            break
        kept[clip_text(name, NAME)] = clip_text(value, limit_of(name))
    return kept
