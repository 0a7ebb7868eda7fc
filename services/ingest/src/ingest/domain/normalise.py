"""Field normalisers shared by the parsers. Pure: each returns a value or raises
`FieldError` naming the field and a reason a clerk can act on."""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from datetime import date
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache

from ingest.domain import spellings
from ingest.domain.model import FieldIssue
from servicekit.contact import NOT_A_FAMILY_ID, NOT_A_MOBILE, family_id_text, mobile_digits

_AADHAAR_VALUE = re.compile(r"^[2-9]\d{3}[\s-]?\d{4}[\s-]?\d{4}$")
_AADHAAR_HEADER = re.compile(r"aadh?aa?r|adhaar|(?<![a-z])uid(?![a-z])")


class FieldError(ValueError):
    """A field value that rejects its row."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = f"{field}: {reason}"


def is_aadhaar_header(header: str) -> bool:
    """Whether a column name names Aadhaar / UID."""
    return bool(_AADHAAR_HEADER.search(header.strip().lower()))


def looks_like_aadhaar(value: str, phone: bool = False) -> bool:
    """12 digits (optionally grouped 4-4-4) starting 2-9, the shape of an Aadhaar number.
    In a phone column, 12 digits starting 91 are read as +91 and a mobile instead."""
    cleaned = value.strip()
    if phone and cleaned.startswith("91") and cleaned.isdigit():
        return False
    return bool(_AADHAAR_VALUE.match(cleaned))


def text(value: str | None) -> str | None:
    """Trimmed NFC text with inner runs of whitespace collapsed; None when blank."""
    if not value:
        return None
    cleaned = value.strip()
    if not cleaned.isascii():
        cleaned = unicodedata.normalize("NFC", cleaned)
    if "  " in cleaned or not cleaned.isprintable():
        cleaned = " ".join(cleaned.split())
    return cleaned or None


def required(field: str, value: str | None) -> str:
    cleaned = text(value)
    if cleaned is None:
        raise FieldError(field, "is missing")
    return cleaned


def code(value: str | None) -> str | None:
    """A master-data code: trimmed, upper-cased, None when blank."""
    cleaned = text(value)
    return cleaned.upper() if cleaned else None


def parse_date(field: str, value: str | None) -> date:
    """Any spelling of `spellings.DATE_SPELLINGS` (dd-mm-yyyy, dd-Mon-yyyy, ISO, Excel
    serials with or without a time fraction, ...)."""
    raw = required(field, value)
    try:
        return _date_of(raw)
    except ValueError:
        raise FieldError(field, f"{raw!r} is not a date (use dd-mm-yyyy)") from None


@lru_cache(maxsize=65536)
def _date_of(raw: str) -> date:
    return spellings.date_of(raw)


def optional_date(field: str, value: str | None) -> date | None:
    return None if text(value) is None else parse_date(field, value)


def parse_month(field: str, value: str | None) -> tuple[date, date]:
    """A pay month (mm-yyyy, Mon-yyyy, yyyy-mm, ... or any date in it) as (first day,
    last day); the spellings are `spellings.MONTH_SPELLINGS`."""
    return _month_of(field, required(field, value))


@lru_cache(maxsize=4096)
def _month_of(field: str, raw: str) -> tuple[date, date]:
    try:
        year, month = spellings.month_of(raw)
    except ValueError:
        raise FieldError(field, f"{raw!r} is not a month (use mm-yyyy)") from None
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        raise FieldError(field, f"{raw!r} is not a month (use mm-yyyy)")
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def check_dates(birth: date, joining: date) -> None:
    """Reject impossible birth/joining dates."""
    if birth.year < 1940:
        raise FieldError("date_of_birth", f"{birth:%d-%m-%Y} is before 1940")
    if joining < date(birth.year + 14, birth.month, min(birth.day, 28)):
        raise FieldError("date_of_joining", f"{joining:%d-%m-%Y} is before the employee turned 14")


MAX_AMOUNT = Decimal(10**9)


def amount(field: str, value: str | None) -> Decimal | None:
    """Rupees and paise, exact: '12,500', '1,20,000', 'Rs. 15,000', '15,000/-',
    '50,000.50' (never rounded); blank -> None; negative rejects."""
    raw = text(value)
    if raw is None:
        return None
    if spellings.is_scientific(raw):
        raise FieldError(field, spellings.AS_TEXT)
    try:
        rupees = spellings.rupees(raw)
    except ValueError:
        raise FieldError(field, f"{raw!r} is not an amount in rupees") from None
    if rupees < 0:
        raise FieldError(field, f"{raw!r} is negative")
    if rupees >= MAX_AMOUNT:  # no monthly pay is that large; nor fits the stored integer
        raise FieldError(field, f"{raw!r} is not a monthly amount (at most Rs 99,99,99,999.99)")
    return rupees


def remuneration(rupees: Decimal | None) -> dict[str, Decimal | int | None]:
    """The exact monthly amount, and the whole rupees of the older integer field rounded
    up, so a cap in whole rupees reads the same on either (50,000.50 is above 50,000)."""
    whole = None if rupees is None else int(rupees.to_integral_value(rounding=ROUND_CEILING))
    return {"monthly_remuneration": whole, "monthly_remuneration_exact": rupees}


def digit_text(field: str, value: str | None) -> str | None:
    """Text of a column that holds digits (an id, a mobile): a trailing `.0` (a whole
    number exported as a number) dropped; scientific notation refused, its digits lost."""
    raw = text(value)
    if raw is None:
        return None
    if spellings.is_scientific(raw):
        raise FieldError(field, spellings.AS_TEXT)
    return spellings.whole(raw)


def days_paid(field: str, value: str | None) -> int:
    raw = required(field, value)
    if not spellings.whole(raw).isdigit():
        raise FieldError(field, f"{raw!r} is not a whole number of days")
    days = int(spellings.whole(raw))
    if not 0 <= days <= 31:
        raise FieldError(field, f"{raw!r} is outside 0..31")
    return days


def mobile(value: str | None) -> tuple[str | None, FieldIssue | None]:
    """10 digits starting 6-9 after stripping +91 / 0091 / 0, spaces and dashes (and a
    trailing `.0`); a number in scientific notation is an issue of its own."""
    try:
        raw = digit_text("mobile", value)
    except FieldError as error:
        return None, FieldIssue(field="mobile", reason=error.reason)
    if raw is None:
        return None, FieldIssue(field="mobile", reason="mobile: is missing")
    if digits := mobile_digits(raw):
        return digits, None
    return None, FieldIssue(field="mobile", reason=NOT_A_MOBILE)


def family_id(value: str | None) -> tuple[str | None, FieldIssue | None]:
    """PPP Family ID: 8 or 9 letters/digits, upper-cased (a trailing `.0` dropped)."""
    try:
        raw = digit_text("family_id", value)
    except FieldError as error:
        return None, FieldIssue(field="family_id", reason=error.reason)
    if raw is None:
        return None, FieldIssue(field="family_id", reason="family_id: is missing")
    if cleaned := family_id_text(raw):
        return cleaned, None
    return None, FieldIssue(field="family_id", reason=NOT_A_FAMILY_ID)


_EMPLOYMENT = {
    "full_time": "full_time",
    "full time": "full_time",
    "full-time": "full_time",
    "fulltime": "full_time",
    "ft": "full_time",
    "part_time": "part_time",
    "part time": "part_time",
    "part-time": "part_time",
    "parttime": "part_time",
    "pt": "part_time",
}
_SCHEME = {
    "state": "state",
    "state scheme": "state",
    "state funded": "state",
    "centrally_sponsored": "centrally_sponsored",
    "centrally sponsored": "centrally_sponsored",
    "css": "centrally_sponsored",
}


def employment(value: str | None) -> str:
    raw = (text(value) or "full_time").lower()
    if raw not in _EMPLOYMENT:
        raise FieldError("employment", f"{raw!r} is not full_time or part_time")
    return _EMPLOYMENT[raw]


def scheme(value: str | None) -> str:
    raw = (text(value) or "state").lower()
    if raw not in _SCHEME:
        raise FieldError("scheme", f"{raw!r} is not state or centrally_sponsored")
    return _SCHEME[raw]


def object_code(head_of_account: str | None) -> str:
    """The object code: the last segment of a full head of account (2202-02-109-99-51-69)."""
    raw = required("head_of_account", head_of_account)
    last = raw.replace("/", "-").replace(" ", "-").rpartition("-")[2]
    if not (last.isdigit() and len(last) == 2):
        raise FieldError("head_of_account", f"{raw!r} does not end in a 2-digit object code")
    return last
