"""T&A e-Billing Part-II payment lines -> one draft per employee code.

Lines of one employee may be anywhere in the file, so each valid line is folded into a
small aggregate (packed ints per month, the latest line's attributes); no raw row is
kept. A bad line rejects that line only; the employee's other lines still count.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
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
    first_day: int  # of the month, in service: 1, or the day of joining in its month
    last_day: int  # the month's last day, or the day of leaving in its month
    object_code: str
    amount: Decimal
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
    amount_of_latest: Decimal = Decimal(0)
    heads_of_latest: set[str] = field(default_factory=set)


def employee_ref(cells: dict[str, str]) -> str | None:
    return next((v.strip() for k in ID_KEYS if (v := cells.get(k, "")).strip()), None)


def line(cells: dict[str, str]) -> Line:
    """Validate one payment line; raises `FieldError` for a rejecting defect."""
    ref = n.digit_text("employee_code", employee_ref(cells))
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
    leaving = n.optional_date("date_of_leaving", cells.get("date_of_leaving"))
    first, last = placement(month, days, joining, leaving)
    attributes = tuple(cells.get(k) for k in _ATTRIBUTES)
    return Line(
        ref, month, days, first, last, obj, amount, birth, joining, attributes, scheme_head(cells)
    )


def scheme_head(cells: dict[str, str]) -> str | None:
    """'2210-01-110-97-69' -> '2210-01-110-97': the head of account without its object
    code, the head master data classifies (state or centrally sponsored)."""
    raw = (cells.get("head_of_account") or "").strip().upper().replace("/", "-")
    head = raw.replace(" ", "-").rpartition("-")[0].strip("-")
    return head or None


def placement(month: date, days: int, joining: date, leaving: date | None) -> tuple[int, int]:
    """The days of `month` (first, last) that are in service: from the 1st, or from the
    date of joining when it is in the month; to the last day, or to a known date of
    leaving in the month. A line's paid days are placed there and nowhere else, so none
    falls before joining or after leaving. Raises `FieldError` for a month wholly outside
    service, or more paid days than the month has in service."""
    end = date(month.year, month.month, monthrange(month.year, month.month)[1])
    if leaving is not None and leaving < joining:
        raise n.FieldError("date_of_leaving", f"{leaving:%d-%m-%Y} is before the date of joining")
    if joining > end:
        raise n.FieldError(
            "month", f"{month:%m-%Y} is before the date of joining {joining:%d-%m-%Y}"
        )
    if leaving is not None and leaving < month:
        raise n.FieldError(
            "month", f"{month:%m-%Y} is after the date of leaving {leaving:%d-%m-%Y}"
        )
    first = joining.day if joining > month else 1
    last = leaving.day if leaving is not None and leaving < end else end.day
    if (first, last) != (1, end.day) and days > last - first + 1:
        raise n.FieldError(
            "days_paid",
            f"{days} days paid in {month:%m-%Y}, but service that month is "
            f"{first:02d}-{last:02d} ({last - first + 1} days)",
        )
    return first, last


def _pack(item: Line) -> int:
    index = item.month.year * 12 + item.month.month - 1
    days = (item.first_day << 13) | (item.last_day << 8) | item.days
    return (index << 26) | (days << 8) | int(item.object_code)


@lru_cache(maxsize=65536)  # few distinct (month, days, object code, department) values
def _unpack(packed: int, department: str | None) -> ServicePeriod:
    index, obj = packed >> 26, packed & 0xFF
    first, last, days = (packed >> 21) & 0x1F, (packed >> 16) & 0x1F, (packed >> 8) & 0xFF
    start = date(index // 12, index % 12 + 1, first)
    end = date(start.year, start.month, last)
    return ServicePeriod(
        start=start, end=end, days_paid=days, object_code=f"{obj:02d}", department_code=department
    )


def fold(aggregates: dict[str, Aggregate], item: Line, row_number: int) -> None:
    """Add a valid line to its employee's aggregate (lines of the latest month add up)."""
    current = aggregates.get(item.code)
    if current is None:
        current = aggregates[item.code] = Aggregate(first_row=row_number, latest=item)
    current.months.append(_pack(item))
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
        **n.remuneration(aggregate.amount_of_latest),
        "service_periods": periods,
        "object_codes": tuple(sorted({p.object_code for p in periods if p.object_code})),
        "heads_of_account": tuple(sorted(aggregate.heads_of_latest)),
        "issues": tuple(i for i in (mobile_issue, family_issue) if i is not None),
        "row_number": aggregate.first_row,
    }
    return EmployeeDraft(**fields)
