"""The certify form: prefilled from the data, read back and checked field by field, so
each error is shown next to the field it names. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from console.i18n import ddmmyyyy, parse_ddmmyyyy

COVERS = ("non_contractual_head", "mobile_changed", "family_id_incorrect")
ATTESTATIONS = {
    "genuine_contractual_employee": "attest.genuine",
    "engaged_in_contractual_mode": "attest.mode",
    "paid_under_non_contractual_head_with_undertaking": "attest.head",
}
HEADS = {
    "01": "01 - Salary",
    "02": "02 - Wages",
    "33": "33 - Professional Services",
    "69": "69 - Contractual",
    "87": "87 - Honorarium",
}
CONTRACTUAL_HEADS = {"69", "01"}
COVERS_OF_REASON = {
    "non_contractual_head": "non_contractual_head",
    "mobile_missing": "mobile_changed",
    "mobile_mismatch": "mobile_changed",
    "family_id_missing": "family_id_incorrect",
    "family_id_mismatch": "family_id_incorrect",
}
MOBILE = re.compile(r"^[6-9]\d{9}$")
FAMILY_ID = re.compile(r"^[0-9A-Z]{8,9}$")
TEXT_FIELDS = (
    "office_code",
    "officer_name",
    "corrected_mobile",
    "corrected_family_id",
    "period_from",
    "period_to",
    "post",
    "head_of_account_used",
    "letter_number",
    "letter_date",
)


@dataclass
class CertifyForm:
    """What the form shows (values) and what is wrong with it (errors: field -> text key)."""

    employee_id: str
    values: dict[str, str] = field(default_factory=dict)
    covers: set[str] = field(default_factory=set)
    attested: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)


def prefilled(employee_id: str, record: dict[str, Any], decision: dict[str, Any]) -> CertifyForm:
    """The form as the data fills it: the employee's office, service from the first paid
    period, the head the pay came from and what the gate's reasons ask to lift."""
    periods = record.get("service_periods") or []
    starts = [p["start"] for p in periods] or [record.get("date_of_joining")]
    start = min((s for s in starts if s), default=None)
    heads = [c for c in record.get("object_codes") or [] if c not in CONTRACTUAL_HEADS]
    reasons = [r["code"] for r in decision.get("gate", {}).get("reasons", [])]
    values = {
        "office_code": record.get("ddo_code") or record.get("office_code") or "",
        "period_from": ddmmyyyy(start) if start else "",
        "period_to": "",
        "post": record.get("post_code") or "",
        "head_of_account_used": ", ".join(HEADS.get(c, c) for c in heads),
    }
    covers = {COVERS_OF_REASON[r] for r in reasons if r in COVERS_OF_REASON}
    return CertifyForm(employee_id, values=values, covers=covers)


def read(
    employee_id: str, form: dict[str, Any], covers: list[str], attested: list[str]
) -> CertifyForm:
    values = {name: str(form.get(name) or "").strip() for name in TEXT_FIELDS}
    values["corrected_family_id"] = values["corrected_family_id"].upper()
    return CertifyForm(
        employee_id,
        values=values,
        covers={c for c in covers if c in COVERS},
        attested={a for a in attested if a in ATTESTATIONS},
    )


def check(form: CertifyForm, letter: tuple[str, bytes] | None) -> dict[str, Any] | None:
    """The Submission (JSON-ready) when the form is complete; otherwise None, with
    `form.errors` naming each field that is wrong."""
    v, errors = form.values, form.errors
    for name in ("office_code", "officer_name", "letter_number", "period_from"):
        if not v[name]:
            errors[name] = "err.required"
    if not v["head_of_account_used"]:
        errors["head_of_account_used"] = "err.required"
    dates: dict[str, date | None] = {}
    for name in ("letter_date", "period_from", "period_to"):
        if v[name]:
            dates[name] = parse_ddmmyyyy(v[name])
            if dates[name] is None:
                errors[name] = "err.date"
        elif name == "letter_date":
            errors[name] = "err.required"
    start, end = dates.get("period_from"), dates.get("period_to")
    if start and end and end < start:
        errors["period_to"] = "err.period"
    if not form.covers:
        errors["covers"] = "err.covers"
    if "mobile_changed" in form.covers and not MOBILE.match(v["corrected_mobile"]):
        errors["corrected_mobile"] = "err.mobile"
    if "family_id_incorrect" in form.covers and not FAMILY_ID.match(v["corrected_family_id"]):
        errors["corrected_family_id"] = "err.family_id"
    if set(ATTESTATIONS) - form.attested:
        errors["attestations"] = "err.attest"
    if letter is None or not letter[1].startswith(b"%PDF"):
        errors["letter"] = "err.pdf"
    if errors:
        return None
    assert start is not None
    letter_date = dates["letter_date"]
    assert letter_date is not None
    period = {"from": start.isoformat(), "to": end.isoformat() if end else None}
    if v["post"]:
        period["post"] = v["post"]
    return {
        "employee_id": form.employee_id,
        "office_code": v["office_code"],
        "letter_number": v["letter_number"],
        "letter_date": letter_date.isoformat(),
        "officer_name": v["officer_name"],
        "attestations": {name: True for name in ATTESTATIONS},
        "service_details": {"periods": [period], "head_of_account_used": v["head_of_account_used"]},
        "covers": [c for c in COVERS if c in form.covers],
        "corrected_mobile": v["corrected_mobile"] if "mobile_changed" in form.covers else None,
        "corrected_family_id": (
            v["corrected_family_id"] if "family_id_incorrect" in form.covers else None
        ),
    }


API_FIELDS = {
    "office_code": "office_code",
    "letter_number": "letter_number",
    "letter_date": "letter_date",
    "officer_name": "officer_name",
    "corrected_mobile": "corrected_mobile",
    "corrected_family_id": "corrected_family_id",
    "service_details": "period_from",
    "covers": "covers",
    "attestations": "attestations",
}


def field_of(message: str) -> str | None:
    """Which form field an API refusal ('submission.<field>: ...') names, if any."""
    for api_name, form_name in API_FIELDS.items():
        if f"submission.{api_name}" in message or f"'{api_name}'" in message:
            return form_name
    return None
