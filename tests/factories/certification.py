"""Submissions, tokens and settings for certification tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from certification import tokens
from certification.settings import CertificationSettings
from tests.factories import unique

SECRET = "test-secret-" + "x" * 32
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def submission(office: str, **overrides: Any) -> dict[str, Any]:
    """A complete, valid submission for a new employee of `office`."""
    values: dict[str, Any] = {
        "employee_id": unique("EMP"),
        "office_code": office,
        "letter_number": unique("No. 6/74/2026-HR"),
        "letter_date": "2026-02-20",
        "officer_name": "S. K. Sharma",
        "officer_role": "ddo",
        "attestations": {
            "genuine_contractual_employee": True,
            "engaged_in_contractual_mode": True,
            "paid_under_non_contractual_head_with_undertaking": True,
        },
        "service_details": {
            "periods": [{"from": "2017-04-01", "to": None, "post": "Data Entry Operator"}],
            "head_of_account_used": "87 - Honorarium",
        },
        "covers": ["non_contractual_head", "mobile_changed"],
        "corrected_mobile": "9876543210",
        "corrected_family_id": None,
    }
    values.update(overrides)
    return values


def form(sub: dict[str, Any]) -> dict[str, str]:
    return {"submission": json.dumps(sub)}


def token(role: str, *offices: str, sub: str | None = None, hours: float = 1.0) -> str:
    now = datetime.now(UTC)
    return tokens.issue(SECRET, sub or unique(role), role, offices, hours, now)


def auth(role: str, *offices: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, *offices)}"}


def settings(kafka: str, mongodb: str, **overrides: Any) -> CertificationSettings:
    values: dict[str, Any] = {
        "kafka_bootstrap_servers": kafka,
        "mongodb_uri": mongodb,
        "mongodb_database": unique("cert"),
        "consumer_group": unique("cert"),
        "jwt_secret": SECRET,
    }
    values.update(overrides)
    return CertificationSettings.model_validate(values)
