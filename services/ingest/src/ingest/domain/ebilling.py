"""T&A e-Billing Part-II payment lines -> one draft per employee code.

Lines of one employee may be anywhere in the file, so each valid line is folded into a
small aggregate (packed ints per month, the latest line's attributes); no raw row is
kept. A bad line rejects that line only; the employee's other lines still count.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from ingest.domain import normalise as n
from ingest.domain.model import EmployeeDraft, ServicePeriod

ID_KEYS = ("employee_code", "emp_code", "employee_id")
_ATTRIBUTES = (
    "name",
    "mobile",
    "family_id",
    "department_code",
    "office_code",
    "post_code",
    "ddo_code",
    "district",
    "treasury",
)


@dataclass(frozen=True)
class Line:
    """One valid payment line, reduced to what the aggregate needs."""

    code: str
    month: date
    days: int
    object_code: str
    amount: int
    birth: date
    joining: date
    attributes: tuple[str | None, ...]
    head: str | None = None  # head of account without the object code (the scheme head)


@dataclass
class Aggregate:
    """What is kept per employee code while the file streams by."""

    first_row: int
    latest: Line
    months: list[int] = field(default_factory=list)  # packed month_index, days, object code
    amount_of_latest: int = 0
    heads_of_latest: set[str] = field(default_factory=set)


def employee_ref(cells: dict[str, str]) -> str | None:
    return next((v.strip() for k in ID_KEYS if (v := cells.get(k, "")).strip()), None)


def line(cells: dict[str, str]) -> Line:
    """Validate one payment line; raises `FieldError` for a rejecting defect."""
    ref = employee_ref(cells)
    if ref is None:
        raise n.FieldError("employee_code", "is missing")
    n.required("name", cells.get("name"))
    month, _ = n.parse_month("month", cells.get("month"))
    days = n.days_paid("days_paid", cells.get("days_paid"))
    if days > (length := monthrange(month.year, month.month)[1]):
        raise n.FieldError("days_paid", f"{days} is more than the {length} days of {month:%b %Y}")
    obj = n.object_code(cells.get("head_of_account"))
    amount = n.amount("amount", cells.get("amount"))
    if amount is None:
        raise n.FieldError("amount", "is missing")
    birth = n.parse_date("date_of_birth", cells.get("date_of_birth"))
    joining = n.parse_date("date_of_joining", cells.get("date_of_joining"))
    n.check_dates(birth, joining)
    attributes = tuple(cells.get(k) for k in _ATTRIBUTES)
    return Line(ref, month, days, obj, amount, birth, joining, attributes, scheme_head(cells))


def scheme_head(cells: dict[str, str]) -> str | None:
    """'2210-01-110-97-69' -> '2210-01-110-97': the head of account without its object
    code, the head master data classifies (state or centrally sponsored)."""
    raw = (cells.get("head_of_account") or "").strip().upper().replace("/", "-")
    head = raw.replace(" ", "-").rpartition("-")[0].strip("-")
    return head or None


def _pack(month: date, days: int, obj: str) -> int:
    return ((month.year * 12 + month.month - 1) << 16) | (days << 8) | int(obj)


@lru_cache(maxsize=65536)  # few distinct (month, days, object code, department) values
def _unpack(packed: int, department: str | None) -> ServicePeriod:
    index, days, obj = packed >> 16, (packed >> 8) & 0xFF, packed & 0xFF
    start = date(index // 12, index % 12 + 1, 1)
    end = date(start.year, start.month, monthrange(start.year, start.month)[1])
    return ServicePeriod(
        start=start, end=end, days_paid=days, object_code=f"{obj:02d}", department_code=department
    )


def fold(aggregates: dict[str, Aggregate], item: Line, row_number: int) -> None:
    """Add a valid line to its employee's aggregate (lines of the latest month add up)."""
    current = aggregates.get(item.code)
    if current is None:
        current = aggregates[item.code] = Aggregate(first_row=row_number, latest=item)
    current.months.append(_pack(item.month, item.days, item.object_code))
    if item.month > current.latest.month:
        current.latest, current.amount_of_latest = item, item.amount
        current.heads_of_latest = set()
    elif item.month == current.latest.month:
        current.latest = item
        current.amount_of_latest += item.amount
    if item.month == current.latest.month and item.head:
        current.heads_of_latest.add(item.head)


def draft(aggregate: Aggregate) -> EmployeeDraft:
    """The employee as the latest month's line describes them, with every paid month."""
    latest = aggregate.latest
    attrs = {k: n.text(v) for k, v in zip(_ATTRIBUTES, latest.attributes, strict=True)}
    mobile, mobile_issue = n.mobile(attrs["mobile"])
    family, family_issue = n.family_id(attrs["family_id"])
    department = n.code(attrs["department_code"])
    periods = tuple(_unpack(p, department) for p in sorted(aggregate.months))
    fields: dict[str, Any] = {
        "source_employee_id": latest.code,
        "source": "ebilling",
        "part": "II",
        "name": attrs["name"],
        "date_of_birth": latest.birth,
        "date_of_joining": latest.joining,
        "mobile": mobile,
        "family_id": family,
        "department_code": department,
        "office_code": n.code(attrs["office_code"]),
        "post_code": n.code(attrs["post_code"]),
        "ddo_code": n.code(attrs["ddo_code"]),
        "district": attrs["district"],
        "treasury": attrs["treasury"],
        "monthly_remuneration": aggregate.amount_of_latest,
        "service_periods": periods,
        "object_codes": tuple(sorted({p.object_code for p in periods if p.object_code})),
        "heads_of_account": tuple(sorted(aggregate.heads_of_latest)),
        "issues": tuple(i for i in (mobile_issue, family_issue) if i is not None),
        "row_number": aggregate.first_row,
    }
    return EmployeeDraft(**fields)
