"""Aadhaar-like numbers for tests: valid ones (Verhoeff check digit right) and ones that
fail the check, drawn from a seed so that a failing test can be repeated.

None is a real person's number: the eleven digits are random; only the check digit is
computed. Tests must still leave none behind (the PII scans look for the shape)."""

from __future__ import annotations

import random
import re
from typing import Any

from servicekit.aadhaar import verhoeff_digit


def valid_aadhaar(seed: int | str) -> str:
    """12 digits, first 2-9, last the Verhoeff check digit of the first eleven."""
    rng = random.Random(seed)
    body = f"{rng.randrange(2, 10)}{rng.randrange(10**10):010d}"
    return body + verhoeff_digit(body)


def invalid_aadhaar(seed: int | str) -> str:
    """The same shape, with a check digit that the Verhoeff check refuses."""
    number = valid_aadhaar(seed)
    wrong = (int(number[-1]) + 1 + random.Random(seed).randrange(9)) % 10
    return number[:-1] + str(wrong)


def grouped(number: str, separator: str = " ") -> str:
    """'234567890124' -> '2345 6789 0124'."""
    return separator.join((number[:4], number[4:8], number[8:]))


_DIGEST = re.compile(r"[0-9a-f]{24,}")


def without_digests(value: Any) -> Any:
    """`value` with every hex digest (content hashes, event ids, ObjectIds) blanked: a hex
    string holds a 12-digit decimal run passing the Verhoeff check in about 1 in 500
    SHA-256 digests, which is no Aadhaar number but would trip a scan of the shape."""
    if isinstance(value, dict):
        return {k: without_digests(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_digests(v) for v in value]
    if isinstance(value, str) and _DIGEST.fullmatch(value):
        return "<digest>"
    if not isinstance(value, str | int | float | bool | type(None)):
        return without_digests(str(value))
    return value
