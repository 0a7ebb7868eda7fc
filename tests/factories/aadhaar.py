"""Aadhaar-like numbers for tests: valid ones (Verhoeff check digit right) and ones that
fail the check, drawn from a seed so that a failing test can be repeated.

None is a real person's number: the eleven digits are random; only the check digit is
computed. Tests must still leave none behind (the PII scans look for the shape)."""

from __future__ import annotations

import random

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
