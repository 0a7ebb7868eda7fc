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
        ("uid 123412341234 dropped", "123412341234"),
        ("family 1AB2CD3EF matched", "1AB2CD3EF"),
    ],
)
def test_redact_hides_each_kind_of_secret(text: str, secret: str) -> None:
    assert secret not in redact(text)


def test_redact_leaves_ordinary_words_ids_and_dates_alone() -> None:
    text = "batch b-42 row 17 on 2026-01-31 DEPARTMENT of HEALTH, challenge 9f3a2c"
    assert redact(text) == text


def test_the_filter_rewrites_formatted_arguments() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "otp %s for %s", ("482913", "9876543210"), None
    )
    RedactingFilter().filter(record)
    assert "482913" not in record.getMessage()
    assert "9876543210" not in record.getMessage()
