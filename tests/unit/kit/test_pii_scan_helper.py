"""The scan the integration modules run afterwards finds what it means and nothing else."""

from __future__ import annotations

from servicekit.aadhaar import contains_aadhaar, verhoeff_valid
from tests.pii_scan import aadhaar_like, contains_token


def with_check_digit(eleven: str) -> str:
    return next(eleven + d for d in "0123456789" if verhoeff_valid(eleven + d))


def test_aadhaar_like_numbers_are_found_alone_spaced_hyphenated_and_inside_text() -> None:
    number = with_check_digit("23456789012")
    spaced = f"{number[:4]} {number[4:8]} {number[8:]}"
    hyphenated = spaced.replace(" ", "-")

    assert aadhaar_like(f"Ramesh {number}") == [number]
    assert aadhaar_like(f"Aadhaar {spaced}") == [spaced]
    assert aadhaar_like(f'{{"remarks": "uid {hyphenated}"}}') == [hyphenated]


def test_failing_check_digits_first_digits_and_other_shapes_are_left_alone() -> None:
    number = with_check_digit("34567890123")
    wrong_check = number[:-1] + str((int(number[-1]) + 1) % 10)

    assert aadhaar_like(wrong_check) == []
    assert aadhaar_like(with_check_digit("13456789012")) == []  # first digit 1
    assert aadhaar_like(f"1{number}") == []  # 13 digits
    assert aadhaar_like(f"0.{number}") == []  # a fraction
    assert aadhaar_like("919876543210") == []  # a mobile with its country code
    assert aadhaar_like("a3f2c9d0-1234-5678-9012-345678901234") == []  # a UUID


def test_a_code_counts_only_as_a_whole_token() -> None:
    assert contains_token('{"code": "123456"}', "123456")
    assert not contains_token("1796117403123456", "123456")
    assert not contains_token("ab123456cd", "123456")


def test_an_identity_provider_subject_is_no_aadhaar_number() -> None:
    """The certification service stores each officer's subject, a random UUID: about 1 in
    500 holds 8 and 4 digits between hyphens that pass the check (as this one does)."""
    stored = "{'actor': '75797031-0375-48d9-bd75-eb63bc62b877', 'role': 'ddo'}"

    assert contains_aadhaar(stored)  # what the services' scanner reads in it
    assert aadhaar_like(stored) == []
