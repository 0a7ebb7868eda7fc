"""Finding and removing Aadhaar numbers inside any text. Pure: no I/O.

An Aadhaar-like number is 12 digits whose first is 2-9 and whose last is the Verhoeff
check digit of the other eleven. It is found wherever it sits in a text: alone, inside a
name (`Ramesh 234567890123`), grouped `3456 7890 1234` or `3456-7890-1234`, spread out
with one or more spaces, hyphens, dashes or invisible characters (zero-width, soft hyphen,
bidi controls, combining marks) between any two of its digits, or printed 4-4-4 with
other punctuation (`2345.6789.0124`, `(2345) 6789 0124`), in ASCII or any other script's
digits (Devanagari, full-width, superscript, circled, say).
The 12 digits must be a whole group or a run of whole groups: `1234567890123` (13 digits
with no separator) is not an Aadhaar number, and neither is a 12-digit number failing the
Verhoeff check, which is left alone.

This is the one function that decides "is this text free of an Aadhaar number": every
service calls it on every text it receives from outside before storing, logging or
publishing anything.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from typing import Any

REDACTED = "[Aadhaar removed]"
DIGITS = 12

_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

# A digit: any script's decimal digits (\d), and the digits Unicode writes otherwise:
# superscript, subscript, circled, parenthesised, with a full stop or comma, dingbats,
# and the digits of number systems without a zero (Ethiopic, Brahmi, ...).
_OTHER_DIGITS = (
    "\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c"
    "\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
    "\U0001f100-\U0001f10a\u1369-\u1371\u19da\U00010a40-\U00010a43\U00010e60-\U00010e68"
    "\U00011052-\U0001105a"
)
_DIGIT = rf"[\d{_OTHER_DIGITS}]"
# Between two digits of one number, anywhere: whitespace, hyphens and dashes, and what
# shows nothing: control characters and lone surrogates (refused later, or dropped from
# a file name, which would join the digits), format characters (zero-width, soft
# hyphen, bidi controls, invisible operators, tags) and combining marks (accents,
# variation selectors, the keycap).
_SPACING = (
    "\\s\\-\u2010-\u2015\u2212\ufe63\uff0d\x00-\x1f\x7f-\x9f\ud800-\udfff"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f"
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
    "\U000e0100-\U000e01ef"
)
# Visible punctuation between digit groups: only in the printed grouping 4-4-4
# (`2345.6789.0124`, `(2345) 6789 0124`), so that dates, times and ranges next to each
# other (`01-04-2016:31-03-2020`) are not read as one number. A slash is left out:
# letter numbers are written `2024/1234/5678`.
_PUNCT = "._,:;()\\[\\]'\"*+#|\u00b7\u2022\u2027\u30fb\uff08\uff09\uff0c\uff0e\uff1a\uff3f"
_SEP = rf"[{_SPACING}{_PUNCT}]"
_VISIBLE = re.compile(rf"[{_PUNCT}]")
_CHAIN = re.compile(rf"{_DIGIT}+(?:{_SEP}+{_DIGIT}+)*")
_GROUP = re.compile(rf"{_DIGIT}+")
# 12 digits with nothing but separators between them: no match, no Aadhaar number (a
# quick test in C before the exact scan).
_CANDIDATE = re.compile(rf"{_DIGIT}(?:{_SEP}*{_DIGIT}){{11}}")
_PRINTED = [4, 4, 4]
_APART = "\ufdd0"  # a noncharacter: joins texts for one quick search, keeping them apart


def _values(digits: str) -> list[int]:
    return [unicodedata.digit(c) for c in digits]


def verhoeff_valid(digits: str) -> bool:
    """Whether the last digit of `digits` is the Verhoeff check digit of the others."""
    check = 0
    for i, value in enumerate(reversed(_values(digits))):
        check = _D[check][_P[i % 8][value]]
    return check == 0


def verhoeff_digit(digits: str) -> str:
    """The Verhoeff check digit to append to `digits`."""
    check = 0
    for i, value in enumerate(reversed(_values(digits))):
        check = _D[check][_P[(i + 1) % 8][value]]
    return str(_INV[check])


def is_aadhaar(digits: str, phone: bool = False) -> bool:
    """Whether 12 digits (no separators) are an Aadhaar number. With `phone`, 91 and a
    10-digit mobile (starting 6-9) is read as a mobile with its country code instead."""
    values = _values(digits)
    if len(values) != DIGITS or values[0] < 2:
        return False
    if phone and values[0] == 9 and values[1] == 1 and values[2] >= 6:
        return False
    return verhoeff_valid(digits)


# Short texts already scanned and found to hold no Aadhaar number, so that the value every
# row repeats (a head of account, 2210-01-110-97-69, has 12 digits between separators) is
# scanned once. Only texts free of any Aadhaar number are ever kept here.
_CLEAN: dict[tuple[str, bool], None] = {}
CLEAN_KEPT = 8192
CLEAN_TEXT = 64


def aadhaar_spans(text: str, phone: bool = False) -> list[tuple[int, int]]:
    """Start and end of every Aadhaar-like number in `text`, left to right."""
    if len(text) < DIGITS or not _CANDIDATE.search(text):
        return []
    short = len(text) <= CLEAN_TEXT
    if short and (text, phone) in _CLEAN:
        return []
    spans = _spans(text, phone)
    if short and not spans:
        if len(_CLEAN) >= CLEAN_KEPT:
            _CLEAN.clear()
        _CLEAN[text, phone] = None
    return spans


def _spans(text: str, phone: bool) -> list[tuple[int, int]]:
    """Windows of whole digit groups of a chain that hold exactly 12 digits and pass."""
    spans: list[tuple[int, int]] = []
    for chain in _CHAIN.finditer(text):
        found = chain.group(0)
        groups = [(g.start(), g.end()) for g in _GROUP.finditer(found)]
        lengths = [end - start for start, end in groups]
        if sum(lengths) < DIGITS:
            continue
        first = 0
        while first < len(groups):
            total, last = 0, first
            while last < len(groups) and total < DIGITS:
                total += lengths[last]
                last += 1
            joints = "".join(found[groups[i][1] : groups[i + 1][0]] for i in range(first, last - 1))
            printed = lengths[first:last] == _PRINTED or not _VISIBLE.search(joints)
            if total == DIGITS and printed:
                digits = "".join(found[a:b] for a, b in groups[first:last])
                if is_aadhaar(digits, phone):
                    offset = chain.start()
                    spans.append((offset + groups[first][0], offset + groups[last - 1][1]))
                    first = last
                    continue
            first += 1
    return spans


def contains_aadhaar(text: str, phone: bool = False) -> bool:
    """Whether `text` holds an Aadhaar-like number anywhere."""
    return bool(aadhaar_spans(text, phone))


def new_id(make: Callable[[], str] = lambda: uuid.uuid4().hex) -> str:
    """An identifier from `make`, drawn again while it reads as an Aadhaar number. A
    random hex id holds 12 digits between letters about once in a thousand, and an id
    that joins a time stamp to a random part (`hkrnl-20261201T202619-222669f6`) more
    often; such an id, stored, published and shown to officers, would be the one
    Aadhaar-like number in data that holds none."""
    while contains_aadhaar(value := make()):
        pass
    return value


def redact_aadhaar(text: str, phone: bool = False) -> tuple[str, int]:
    """`text` with each Aadhaar-like number replaced by `REDACTED`, and how many were."""
    spans = aadhaar_spans(text, phone)
    if not spans:
        return text, 0
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], REDACTED]
        last = end
    parts.append(text[last:])
    return "".join(parts), len(spans)


def is_phone_field(name: str) -> bool:
    """Whether a field name names a mobile or phone number."""
    lowered = name.lower()
    return "mobile" in lowered or "phone" in lowered


def redact_fields(values: Mapping[str, str]) -> tuple[dict[str, str], dict[str, int]]:
    """Every value (and every field name) of a row redacted; counts per field that had one.

    A field name that itself held a number is counted under its redacted name. Most rows
    hold no candidate at all: one search of the joined row tells (joined by a character
    that is neither a digit nor a separator, so texts stay apart)."""
    counts: dict[str, int] = {}
    names = _APART.join(values)
    names_clean = (names, False) in _CLEAN or not _CANDIDATE.search(names)
    if names_clean and len(_CLEAN) < CLEAN_KEPT:
        _CLEAN[names, False] = None  # every row of a file has the same names
    if names_clean and not _CANDIDATE.search(_APART.join(values.values())):
        return dict(values), counts
    clean: dict[str, str] = {}
    for name, value in values.items():
        key, in_key = (name, 0) if names_clean else redact_aadhaar(name)
        text, in_value = value, 0
        if _CANDIDATE.search(value):
            text, in_value = redact_aadhaar(value, is_phone_field(key))
        clean[key] = text
        if in_key + in_value:
            counts[key] = counts.get(key, 0) + in_key + in_value
    return clean, counts


def redact_tree(value: Any, phone: bool = False) -> tuple[Any, int]:
    """A JSON-like value with every string in it (keys too) redacted, and the count."""
    if isinstance(value, str):
        return redact_aadhaar(value, phone)
    if isinstance(value, list | tuple):
        total, items = 0, []
        for item in value:
            clean, found = redact_tree(item, phone)
            items.append(clean)
            total += found
        return items, total
    if isinstance(value, dict):
        total, out = 0, {}
        for name, item in value.items():
            key, in_key = redact_tree(name) if isinstance(name, str) else (name, 0)
            clean, found = redact_tree(item, phone or is_phone_field(str(key)))
            out[key] = clean
            total += in_key + found
        return out, total
    return value, 0
