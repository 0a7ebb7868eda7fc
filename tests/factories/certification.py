"""Submissions, tokens and settings for certification tests."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

from pypdf import PdfWriter

from certification import tokens
from certification.domain.model import example_submission
from certification.settings import CertificationSettings
from tests.factories import unique

SECRET = "test-secret-" + "x" * 32


def one_page_pdf() -> bytes:
    """A real PDF (one blank A4 page), as a scanner would make, only smaller."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = one_page_pdf()


def submission(office: str, **overrides: Any) -> dict[str, Any]:
    """A complete, valid submission for a new employee of `office`, lifting a
    non-contractual head and correcting the mobile."""
    values: dict[str, Any] = {
        "letter_number": unique("No. 6/74/2026-HR"),
        "covers": ["non_contractual_head", "mobile_changed"],
        "corrected_mobile": "9876543210",
        "corrected_family_id": None,
    }
    values.update(overrides)
    return example_submission(values.pop("employee_id", unique("EMP")), office, **values)


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
