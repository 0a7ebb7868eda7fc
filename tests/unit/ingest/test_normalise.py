"""Field normalisation at its edges: dates, mobiles, Family IDs, names, amounts."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from ingest.domain import normalise as n
from ingest.domain.model import FieldIssue


@pytest.mark.parametrize(
    "text",
    ["01-01-2020", "1-1-2020", "01/01/2020", "01.01.2020", "2020-01-01", "43831", "43831.0"],
)
def test_every_export_date_format_reads_as_the_same_day(text: str) -> None:
    assert n.parse_date("date_of_joining", text) == date(2020, 1, 1)


def test_an_excel_serial_uses_the_1900_date_system() -> None:
    assert n.parse_date("date_of_birth", "32874") == date(1990, 1, 1)


@pytest.mark.parametrize(
    "text", ["31-13-2019", "30-02-2020", "2019/31/12", "yesterday", "12345678"]
)
def test_an_impossible_or_unreadable_date_names_the_field_and_the_format(text: str) -> None:
    with pytest.raises(n.FieldError) as caught:
        n.parse_date("date_of_joining", text)
    assert caught.value.field == "date_of_joining"
    assert caught.value.reason.startswith("date_of_joining:")
    assert "dd-mm-yyyy" in caught.value.reason


def test_joining_before_the_age_of_14_is_impossible() -> None:
    with pytest.raises(n.FieldError, match="date_of_joining"):
        n.check_dates(date(2010, 1, 1), date(2020, 1, 1))


@pytest.mark.parametrize(
    "text",
    [
        "9812345678",
        "+919812345678",
        "+91 98123 45678",
        "0091-98123-45678",
        "09812345678",
        "98123-45678",
        " 98123 45678 ",
        "919812345678",
    ],
)
def test_indian_mobile_prefixes_and_separators_are_stripped(text: str) -> None:
    assert n.mobile(text) == ("9812345678", None)


@pytest.mark.parametrize("text", ["5812345678", "98123456", "98123456789012", "98x2345678"])
def test_a_malformed_mobile_becomes_none_with_an_issue(text: str) -> None:
    value, issue = n.mobile(text)
    assert value is None
    assert issue is not None
    assert issue.field == "mobile"
    assert "6-9" in issue.reason


def test_a_missing_mobile_is_an_issue_not_a_rejection() -> None:
    assert n.mobile("  ") == (None, FieldIssue(field="mobile", reason="mobile: is missing"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ab12cd34", "AB12CD34"), ("xy12zt78q", "XY12ZT78Q"), ("AB12-CD34", "AB12CD34")],
)
def test_a_family_id_is_upper_cased_8_or_9_alphanumerics(text: str, expected: str) -> None:
    assert n.family_id(text) == (expected, None)


@pytest.mark.parametrize("text", ["AB12CD3", "AB12CD34XY", "AB12CD3!"])
def test_a_family_id_of_the_wrong_shape_becomes_none_with_an_issue(text: str) -> None:
    value, issue = n.family_id(text)
    assert value is None
    assert issue is not None
    assert issue.field == "family_id"


def test_hindi_names_are_nfc_and_trimmed() -> None:
    decomposed = "  मोहन   \u0928\u093c "  # NA + NUKTA, which NFC composes to NNNA
    assert n.text(decomposed) == "मोहन \u0929"
    assert n.text(decomposed) == unicodedata.normalize("NFC", n.text(decomposed) or "")


@pytest.mark.parametrize(
    ("text", "rupees"), [("12,500", 12500), ("12500.00", 12500), ("₹ 900", 900)]
)
def test_amounts_accept_thousands_separators_and_decimals(text: str, rupees: int) -> None:
    assert n.amount("amount", text) == rupees


def test_a_negative_amount_rejects() -> None:
    with pytest.raises(n.FieldError, match="amount: '-5' is negative"):
        n.amount("amount", "-5")


@pytest.mark.parametrize("text", ["-1", "32", "x"])
def test_days_paid_must_be_0_to_31(text: str) -> None:
    with pytest.raises(n.FieldError, match="days_paid"):
        n.days_paid("days_paid", text)


@pytest.mark.parametrize(
    ("head", "code"), [("2210-01-110-99-69", "69"), ("2202/01/101/98/01", "01")]
)
def test_the_object_code_is_the_last_segment_of_the_head_of_account(head: str, code: str) -> None:
    assert n.object_code(head) == code


@pytest.mark.parametrize(
    "header", ["Aadhaar No", "aadhar", "AADHAAR_NUMBER", "UID", "uid_no", "Emp UID"]
)
def test_aadhaar_and_uid_headers_are_recognised(header: str) -> None:
    assert n.is_aadhaar_header(header)


@pytest.mark.parametrize("header", ["fluid_allowance", "guide", "name"])
def test_other_headers_are_not_taken_for_aadhaar(header: str) -> None:
    assert not n.is_aadhaar_header(header)
