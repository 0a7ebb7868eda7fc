"""Contact fields checked the way ingest checks source data: a 10-digit Indian mobile
starting 6-9 (after +91 / 0091 / 0, spaces and dashes), a PPP Family ID of 8 or 9 letters
and digits. Each check gives the normalised value, or None and the reason. A test keeps
these in step with ingest's own normalisation."""

from __future__ import annotations

import re
import unicodedata

_JUNK = re.compile(r"[\s\-().]")
_FAMILY_ID = re.compile(r"^[A-Z0-9]{8,9}$")


def _text(value: str | None) -> str | None:
    if not value:
        return None
    cleaned = " ".join(unicodedata.normalize("NFC", value).split())
    return cleaned or None


def check_mobile(value: str | None) -> tuple[str | None, str | None]:
    raw = _text(value)
    if raw is None:
        return None, "mobile: is missing"
    digits = _JUNK.sub("", raw)
    for prefix in ("+91", "0091"):
        digits = digits.removeprefix(prefix)
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    digits = digits.lstrip("0") if len(digits) == 11 else digits
    if len(digits) == 10 and digits.isdigit() and digits[0] in "6789":
        return digits, None
    return None, "mobile: is not a 10-digit Indian mobile starting 6-9"


def check_family_id(value: str | None) -> tuple[str | None, str | None]:
    raw = _text(value)
    if raw is None:
        return None, "family_id: is missing"
    cleaned = _JUNK.sub("", raw).upper()
    if _FAMILY_ID.match(cleaned):
        return cleaned, None
    return None, "family_id: is not 8 or 9 letters and digits"
