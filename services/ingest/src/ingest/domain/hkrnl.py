"""HKRNL Part-I rows (CSV or JSON push) -> employee drafts."""

from __future__ import annotations

from datetime import date
from typing import Any

from ingest.domain import normalise as n
from ingest.domain import spellings
from ingest.domain.model import EmployeeDraft, ServicePeriod

ID_KEYS = ("hkrnl_id", "employee_id", "id")


def employee_ref(cells: dict[str, str]) -> str | None:
    return next((v.strip() for k in ID_KEYS if (v := cells.get(k, "")).strip()), None)


def draft(cells: dict[str, str], row_number: int, as_of: date) -> EmployeeDraft:
    """One HKRNL row as a draft; raises `FieldError` for a rejecting defect."""
    ref = n.digit_text("hkrnl_id", employee_ref(cells))
    if ref is None:
        raise n.FieldError("hkrnl_id", "is missing")
    name = n.required("name", cells.get("name"))
    birth = n.parse_date("date_of_birth", cells.get("date_of_birth"))
    joining = n.parse_date("date_of_joining", cells.get("date_of_joining"))
    n.check_dates(birth, joining)
    mobile, mobile_issue = n.mobile(cells.get("mobile"))
    family, family_issue = n.family_id(cells.get("family_id"))
    department = n.code(cells.get("department_code"))
    fields: dict[str, Any] = {
        "source_employee_id": ref,
        "source": "hkrnl",
        "part": "I",
        "name": name,
        "date_of_birth": birth,
        "date_of_joining": joining,
        "mobile": mobile,
        "family_id": family,
        "department_code": department,
        "office_code": n.code(cells.get("office_code")),
        "post_code": n.code(cells.get("post_code")),
        "ddo_code": n.code(cells.get("ddo_code")),
        "district": n.text(cells.get("district")),
        **n.remuneration(n.amount("monthly_remuneration", cells.get("monthly_remuneration"))),
        "employment": n.employment(cells.get("employment")),
        "scheme": n.scheme(cells.get("scheme")),
        "service_periods": deployments(cells.get("deployments"), joining, as_of, department),
        "issues": tuple(i for i in (mobile_issue, family_issue) if i is not None),
        "row_number": row_number,
    }
    return EmployeeDraft(**fields)


def deployments(
    value: str | None, joining: date, as_of: date, department: str | None
) -> tuple[ServicePeriod, ...]:
    """'from:to;from:to', or 'from to to' / 'from - to' (`spellings.RANGE_SPELLINGS`);
    an open 'to' = still deployed, ends at `as_of`; blank = one open deployment from the
    date of joining. days_paid = calendar days in the period."""
    raw = n.text(value) or f"{joining:%d-%m-%Y}:"
    periods = []
    for part in filter(None, (p.strip() for p in raw.split(";"))):
        try:
            start_text, end_text = spellings.date_range(part)
        except ValueError:
            raise n.FieldError(
                "deployments", f"{part!r} is not 'from:to' or 'from to to' (to may be blank)"
            ) from None
        start = n.parse_date("deployments", start_text)
        end = n.optional_date("deployments", end_text) or max(as_of, start)
        if end < start:
            raise n.FieldError("deployments", f"{part!r} ends before it starts")
        days = (end - start).days + 1
        periods.append(
            ServicePeriod(start=start, end=end, days_paid=days, department_code=department)
        )
    return tuple(sorted(periods, key=lambda p: p.start))
