"""What the PII scan (tests/pii_scan.py) counts as personal data in text: an Aadhaar-like
number, found by the scanner the services redact with; a value as a whole token (a clear
OTP code); and the mobiles and Family IDs that documents hold in their PII fields."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from servicekit.aadhaar import aadhaar_spans, contains_aadhaar

# One scanner: the one the services redact with (servicekit.aadhaar). Documents lose their
# hex digests first (tests.factories.aadhaar), and any text its UUIDs, hex runs and decimal
# fractions (messages and log lines are read as text): none is a number a person holds.
_HEXISH = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|(?<![0-9a-zA-Z])[0-9a-f]{24,}(?![0-9a-zA-Z])"
)
_FRACTION = re.compile(r"(?<=\d)\.\d+")


def _readable(text: str) -> str:
    return _FRACTION.sub(".", _HEXISH.sub(" ", text))


def aadhaar_like(text: str) -> list[str]:
    """The Aadhaar-like numbers in `text`, as `servicekit.aadhaar` finds them (12 digits,
    first 2-9, Verhoeff valid, alone or with separators), 91-prefixed mobiles excepted."""
    text = _readable(text)
    if not contains_aadhaar(text, phone=True):
        return []
    return [text[start:end] for start, end in aadhaar_spans(text, phone=True)]


def contains_token(text: str, value: str) -> bool:
    """`value` in `text` as a whole token (not inside a longer run of letters or digits)."""
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", text) is not None


PII_FIELDS = ("mobile", "family_id", "corrected_mobile", "corrected_family_id")


def personal_values(documents: Iterable[str]) -> set[str]:
    """The mobiles and Family IDs held in documents (the values of their PII fields)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in PII_FIELDS and isinstance(item, str) and len(item) >= 8:
                    found.add(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for text in documents:
        walk(json.loads(text))
    return found
