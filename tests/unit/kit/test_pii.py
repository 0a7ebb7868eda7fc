"""Logs never carry a full mobile, a Family ID, an Aadhaar number or an OTP."""

from __future__ import annotations

import logging

import pytest

from servicekit.pii import RedactingFilter, mask_family_id, mask_mobile, redact


def test_a_mobile_is_masked_to_its_first_and_last_two_digits() -> None:
    assert mask_mobile("9876543210") == "98******10"
    assert mask_mobile(None) == "-"


def test_a_family_id_is_masked() -> None:
    assert mask_family_id("ABCD1234") == "AB****34"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("sent to 9876543210 now", "9876543210"),
        ("sent to +91-9876543210", "9876543210"),
        ("sent to 98765 43210", "98765 43210"),
        ("code 482913 issued", "482913"),
        ("uid 234123412346 dropped", "234123412346"),
        ("Aadhaar 2341 2341 2346 dropped", "2341 2341 2346"),
        ("mobile=919876543210", "919876543210"),
        ("mobile:09876543210", "9876543210"),
        ("family 1AB2CD3EF matched", "1AB2CD3EF"),
        ("family_id=AB12CD34,", "AB12CD34"),
    ],
)
def test_redact_hides_each_kind_of_secret(text: str, secret: str) -> None:
    assert secret not in redact(text)


def test_redact_leaves_ordinary_words_ids_and_dates_alone() -> None:
    text = "batch b-42 row 17 on 2026-01-31 DEPARTMENT of HEALTH, challenge 9f3a2c"
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "batch batch-0123456789 published",  # a unique() id whose hex suffix is all digits
        "batch batch-9876543210 published",  # even one shaped like a mobile
        "upload ebilling-2026-01-31-123456.csv read",
        "challenge 3f2a9c1b4d5e6f708192a3b4c5d6e7f8 sent",
        "challenge 12345678901234567890123456789012 sent",  # an all-digit hex id
        "event 123e4567-e89b-12d3-a456-426614174000 and A3F2C9D0-1234-5678-9012-345678901234",
        "lag 0.123456 s, took 1796117403633 ms since epoch",
        "employee ebilling:E000123 and hkrnl:HK-0123456789",
        "hash sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "offset 2438 partition 2 of employee-records.v1",
    ],
)
def test_redact_leaves_identifiers_that_merely_contain_digits_alone(text: str) -> None:
    assert redact(text) == text


def test_the_filter_rewrites_formatted_arguments() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "otp %s for %s", ("482913", "9876543210"), None
    )
    RedactingFilter().filter(record)
    assert "482913" not in record.getMessage()
    assert "9876543210" not in record.getMessage()
