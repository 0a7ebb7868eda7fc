"""Contact fields as every part of the system reads them: a 10-digit Indian mobile starting
6-9 (after +91 / 0091 / 91 / 0, spaces, dashes, dots and brackets), a PPP Family ID of 8 or
9 letters and digits. `mobile_digits` and `family_id_text` are the one reading that ingest
(source files), the OTP service's portal API and its command line share; each `check_`
gives the normalised value, or None and the reason."""

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


NOT_A_MOBILE = "mobile: is not a 10-digit Indian mobile starting 6-9"
NOT_A_FAMILY_ID = "family_id: is not 8 or 9 letters and digits"


def strip_mobile(text: str) -> str:
    """`text` without spaces, dashes, dots, brackets and a country prefix (+91, 0091, or 91
    or 0 before ten digits): the ten digits if it spells a mobile."""
    digits = _JUNK.sub("", text)
    for prefix in ("+91", "0091"):
        digits = digits.removeprefix(prefix)
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    return digits.lstrip("0") if len(digits) == 11 else digits


def mobile_digits(text: str) -> str | None:
    """The 10-digit Indian mobile (starting 6-9) `text` spells, or None."""
    digits = strip_mobile(text)
    if len(digits) == 10 and digits.isascii() and digits.isdigit() and digits[0] in "6789":
        return digits
    return None


def family_id_text(text: str) -> str | None:
    """The PPP Family ID `text` spells (upper-cased, without spaces and dashes), or None."""
    cleaned = _JUNK.sub("", text).upper()
    return cleaned if _FAMILY_ID.match(cleaned) else None


def check_mobile(value: str | None) -> tuple[str | None, str | None]:
    raw = _text(value)
    if raw is None:
        return None, "mobile: is missing"
    digits = mobile_digits(raw)
    return (digits, None) if digits else (None, NOT_A_MOBILE)


def check_family_id(value: str | None) -> tuple[str | None, str | None]:
    raw = _text(value)
    if raw is None:
        return None, "family_id: is missing"
    cleaned = family_id_text(raw)
    return (cleaned, None) if cleaned else (None, NOT_A_FAMILY_ID)
