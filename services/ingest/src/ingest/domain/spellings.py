"""The spellings offices' spreadsheets write for dates, pay months, date ranges, amounts
and digit strings (Excel with Indian locales). Pure: text in, a value out or `ValueError`;
`normalise` turns a `ValueError` into a reasoned rejection naming the field.

Every accepted spelling is listed in `DATE_SPELLINGS`, `MONTH_SPELLINGS`,
`RANGE_SPELLINGS` and `AMOUNT_SPELLINGS` (with an example each), and in
docs/ingest-sources.md; a test holds the two together.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

EXCEL_EPOCH = date(1899, 12, 30)  # 1900 date system, Lotus leap-year bug included
AS_TEXT = "exported as a number; export the column as text"

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

DATE_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("dd-mm-yyyy (also d-m-yyyy)", "01-04-2016"),
    ("dd/mm/yyyy", "01/04/2016"),
    ("dd.mm.yyyy", "01.04.2016"),
    ("dd-Mon-yyyy (Mon: Jan..Dec or the full name, any case)", "01-Apr-2016"),
    ("dd Mon yyyy", "01 Apr 2016"),
    ("dd/Mon/yyyy", "01/Apr/2016"),
    ("dd-Month-yyyy", "01-April-2016"),
    ("yyyy-mm-dd (ISO)", "2016-04-01"),
    ("ISO date and time", "2016-04-01T00:00:00"),
    ("any of the dd..yyyy spellings followed by a time", "01/04/2016 12:00:00 AM"),
    ("Excel serial number (1900 date system)", "42461"),
    ("Excel serial number with a time fraction", "42461.5"),
)
MONTH_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("mm-yyyy (also m-yyyy)", "04-2024"),
    ("mm/yyyy", "04/2024"),
    ("yyyy-mm", "2024-04"),
    ("yyyy/mm", "2024/04"),
    ("Mon-yyyy", "Apr-2024"),
    ("Mon yyyy", "Apr 2024"),
    ("Month yyyy", "April 2024"),
    ("Mon-yy (Excel's mmm-yy; the year is 20yy)", "Apr-24"),
    ("any date spelling above: the month it falls in", "15-Apr-2024"),
)
RANGE_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("from:to", "01-04-2016:31-03-2019"),
    ("from to to", "01-04-2016 to 31-03-2019"),
    ("from - to (a dash with spaces round it)", "01-04-2016 - 31-03-2019"),
    ("from – to (an en or em dash, spaces optional)", "01-04-2016–31-03-2019"),
    ("an open end: nothing, or till date / present / continuing", "01-04-2020 to till date"),
)
AMOUNT_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("digits, with paise", "15000.50"),
    ("Indian digit grouping", "1,20,000"),
    ("international digit grouping", "120,000.00"),
    ("Rs. / Rs / INR / ₹ before the amount", "Rs. 15,000"),
    ("/- or /= after the amount", "15,000/-"),
)

_TIME = re.compile(
    r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?(?:\s*(?:z|[+-]\d{2}:?\d{2}))?$",
    re.I,
)
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_D_MON_Y = re.compile(r"^(\d{1,2})[-/. ]([a-z]{3,9})\.?[-/. ,]+(\d{4})$", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SERIAL = re.compile(r"^(\d{4,5})(?:\.\d+)?$")
_MONTH_MY = re.compile(r"^(\d{1,2})[-/](\d{4})$")
_MONTH_YM = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_MONTH_NAMED = re.compile(r"^([a-z]{3,9})\.?[-/ ,']+(\d{4}|\d{2})$", re.I)
_RANGE_WORD = re.compile(r"^(.+?)\s+(?:to|till|upto|-)(?:\s+(.*))?$", re.I)
_RANGE_DASH = re.compile(r"^(.+?)\s*[\u2013\u2014]\s*(.*)$")
_OPEN = frozenset({"", "till date", "to date", "date", "present", "continuing", "ongoing"})
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?e[+-]\d+$", re.I)
_WHOLE = re.compile(r"^(\d+)\.0+$")
_PREFIX = re.compile(r"^(?:rs\.?|inr|₹)\s*", re.I)
_SUFFIX = re.compile(r"\s*/[-=]$")
_PLAIN = re.compile(r"^\d+$")
_WESTERN = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_INDIAN = re.compile(r"^\d{1,2}(?:,\d{2})*,\d{3}$")


def is_scientific(raw: str) -> bool:
    """A number Excel wrote in scientific notation (`9.81205E+09`): its digits are lost."""
    return bool(_SCIENTIFIC.match(raw.strip()))


def whole(raw: str) -> str:
    """Digits with a trailing `.0` (a whole number exported as a number) without it."""
    cleaned = raw.strip()
    m = _WHOLE.match(cleaned)
    return m[1] if m else cleaned


def month_number(name: str) -> int:
    number = MONTH_NAMES.get(name.lower())
    if number is None:
        raise ValueError(name)
    return number


def date_of(raw: str) -> date:
    """A date in any spelling of `DATE_SPELLINGS`; `ValueError` otherwise."""
    if m := _SERIAL.match(raw):
        return EXCEL_EPOCH + timedelta(days=int(m[1]))
    bare = _TIME.sub("", raw).strip() if ":" in raw else raw
    if m := _DMY.match(bare):
        return date(int(m[3]), int(m[2]), int(m[1]))
    if m := _ISO.match(bare):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _D_MON_Y.match(bare):
        return date(int(m[3]), month_number(m[2]), int(m[1]))
    raise ValueError(raw)


def month_of(raw: str) -> tuple[int, int]:
    """(year, month) of a pay month in any spelling of `MONTH_SPELLINGS`."""
    if m := _MONTH_MY.match(raw):
        return int(m[2]), int(m[1])
    if m := _MONTH_YM.match(raw):
        return int(m[1]), int(m[2])
    if m := _MONTH_NAMED.match(raw):
        year = int(m[2]) + (2000 if len(m[2]) == 2 else 0)
        return year, month_number(m[1])
    day = date_of(raw)
    return day.year, day.month


def date_range(raw: str) -> tuple[str, str | None]:
    """A deployment `from:to`, `from to to`, `from - to` or `from – to` as (from, to);
    to is None for an open end. `ValueError` when there is no separator."""
    for pattern in (_RANGE_WORD, _RANGE_DASH):
        if m := pattern.match(raw):
            start, end = m[1].strip(), (m[2] or "").strip()
            return start, None if end.lower() in _OPEN else end
    start, sep, end = raw.partition(":")
    if not sep or _TIME.search(raw):
        raise ValueError(raw)
    end = end.strip()
    return start.strip(), None if end.lower() in _OPEN else end


@lru_cache(maxsize=65536)  # pay amounts repeat: a few thousand distinct values a file
def rupees(raw: str) -> Decimal:
    """An amount in any spelling of `AMOUNT_SPELLINGS`, exact (never rounded): paise kept,
    two decimals at least. `ValueError` when it is not one; a leading minus is returned
    negative for the caller to refuse by name."""
    if is_scientific(raw):
        raise ValueError(AS_TEXT)
    text = _SUFFIX.sub("", _PREFIX.sub("", raw.strip())).strip()
    sign = -1 if text.startswith("-") else 1
    text = text.removeprefix("-").strip()
    integer, _, fraction = text.partition(".")
    grouped = _WESTERN.match(integer) or _INDIAN.match(integer)
    if not (_PLAIN.match(integer) or grouped) or (fraction and not _PLAIN.match(fraction)):
        raise ValueError(raw)
    value = Decimal(f"{integer.replace(',', '')}.{fraction.ljust(2, '0')}")
    return sign * value
