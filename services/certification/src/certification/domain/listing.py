"""What a certification listing asks for, and the opaque cursor of its next page.

Listings run newest first (submitted_at descending, id ascending among equals); the cursor
names the last item of a page, so the next page starts right after it even while new
certifications arrive.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from certification.domain.model import State
from contracts.certification import Covers


@dataclass(frozen=True)
class Listing:
    offices: tuple[str, ...] | None = None  # the reader's scope; None: every office (HRD)
    office: str | None = None  # certifying office, or the office per the data
    department: str | None = None  # department per the data
    state: State | None = None
    employee_id: str | None = None
    covers: Covers | None = None
    submitted_after: datetime | None = None
    submitted_before: datetime | None = None
    after: tuple[str, str] | None = None  # (submitted_at as stored, id) of the last item seen
    limit: int = 100


class CursorError(ValueError):
    """A cursor this service did not hand out."""


def encode_cursor(submitted_at: str, cert_id: str) -> str:
    raw = json.dumps([submitted_at, cert_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        submitted_at, cert_id = json.loads(raw)
    except (ValueError, TypeError) as error:
        raise CursorError("cursor is not one this service handed out") from error
    if not isinstance(submitted_at, str) or not isinstance(cert_id, str):
        raise CursorError("cursor is not one this service handed out")
    return submitted_at, cert_id
