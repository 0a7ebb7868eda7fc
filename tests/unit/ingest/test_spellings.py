"""The spellings offices' spreadsheets write: every documented one reads, anything else
is a reasoned rejection; numbers Excel damaged are named as such."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.domain import normalise as n
from ingest.domain import spellings
from ingest.domain.hkrnl import deployments
from ingest.domain.model import FieldIssue

DOCS = Path(__file__).parents[3] / "docs" / "ingest-sources.md"
AS_TEXT = "exported as a number; export the column as text"


@pytest.mark.parametrize(("name", "example"), spellings.DATE_SPELLINGS)
def test_every_documented_date_spelling_reads_as_its_day(name: str, example: str) -> None:
    assert n.parse_date("date_of_joining", example) == date(2016, 4, 1), name


@pytest.mark.parametrize(("name", "example"), spellings.MONTH_SPELLINGS)
def test_every_documented_month_spelling_reads_as_its_month(name: str, example: str) -> None:
    assert n.parse_month("month", example) == (date(2024, 4, 1), date(2024, 4, 30)), name


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("43831.5", date(2020, 1, 1)),
        ("43831.999", date(2020, 1, 1)),
        ("16-Jun-2019", date(2019, 6, 16)),
        ("16-JUN-2019", date(2019, 6, 16)),
        ("16 sept 2019", date(2019, 9, 16)),
        ("2026-01-10T10:00:00+05:30", date(2026, 1, 10)),
        ("10/01/2026 10:00", date(2026, 1, 10)),
    ],
)
def test_excel_s_other_date_spellings_read(value: str, day: date) -> None:
    assert n.parse_date("date_of_birth", value) == day


@pytest.mark.parametrize("value", ["01-Apx-2016", "31-Apr-2016", "01-04-16", "Apr 1, 2016"])
def test_any_other_date_spelling_is_a_reasoned_rejection(value: str) -> None:
    with pytest.raises(n.FieldError, match=r"^date_of_joining: .* is not a date \(use"):
        n.parse_date("date_of_joining", value)


@pytest.mark.parametrize("value", ["Apx-2024", "13-2024", "April", "2024-13"])
def test_any_other_month_spelling_is_a_reasoned_rejection(value: str) -> None:
    with pytest.raises(n.FieldError, match=r"^month: .* is not a month \(use mm-yyyy\)"):
        n.parse_month("month", value)


@pytest.mark.parametrize(("name", "example"), spellings.RANGE_SPELLINGS)
def test_every_documented_deployment_spelling_reads(name: str, example: str) -> None:
    [period] = deployments(example, date(2016, 4, 1), date(2024, 8, 15), None)
    assert period.start in (date(2016, 4, 1), date(2020, 4, 1)), name
    assert period.end in (date(2019, 3, 31), date(2024, 8, 15)), name


def test_deployments_typed_with_to_and_dashes_read_as_periods() -> None:
    periods = deployments(
        "01-04-2016 to 31-03-2019; 01-Apr-2019 - 31-Mar-2020;01-04-2020 to",
        date(2016, 4, 1),
        date(2024, 8, 15),
        "HLT",
    )
    assert [(p.start, p.end) for p in periods] == [
        (date(2016, 4, 1), date(2019, 3, 31)),
        (date(2019, 4, 1), date(2020, 3, 31)),
        (date(2020, 4, 1), date(2024, 8, 15)),
    ]


def test_a_deployment_without_a_separator_is_a_reasoned_rejection() -> None:
    with pytest.raises(n.FieldError, match=r"^deployments: '01-04-2016' is not 'from:to'"):
        deployments("01-04-2016", date(2016, 4, 1), date(2024, 8, 15), None)


@pytest.mark.parametrize(
    ("value", "rupees"),
    [
        ("50,000.50", Decimal("50000.50")),
        ("50001.5", Decimal("50001.50")),
        ("15,000/-", Decimal("15000.00")),
        ("Rs. 15,000", Decimal("15000.00")),
        ("Rs15000", Decimal("15000.00")),
        ("₹ 1,20,000", Decimal("120000.00")),
        ("INR 900", Decimal("900.00")),
        ("12500.00", Decimal("12500.00")),
    ],
)
def test_amounts_are_exact_decimals_in_indian_spellings(value: str, rupees: Decimal) -> None:
    assert str(n.amount("amount", value)) == str(rupees)


@pytest.mark.parametrize(("name", "example"), spellings.AMOUNT_SPELLINGS)
def test_every_documented_amount_spelling_reads(name: str, example: str) -> None:
    assert n.amount("amount", example) is not None, name


@pytest.mark.parametrize("value", ["1,2,3", "15 000", "fifteen", "12,50,00", "1.5E+04"])
def test_any_other_amount_is_a_reasoned_rejection(value: str) -> None:
    with pytest.raises(n.FieldError, match=r"^amount: "):
        n.amount("amount", value)


def test_the_whole_rupees_of_an_amount_with_paise_round_up_so_a_cap_reads_the_same() -> None:
    assert n.remuneration(Decimal("50000.50")) == {
        "monthly_remuneration": 50001,
        "monthly_remuneration_exact": Decimal("50000.50"),
    }
    assert n.remuneration(Decimal("50000.00"))["monthly_remuneration"] == 50000


@pytest.mark.parametrize("value", ["9.81205E+09", "9.812046E+9", "9.8e+09"])
def test_a_mobile_in_scientific_notation_says_to_export_the_column_as_text(value: str) -> None:
    assert n.mobile(value) == (None, FieldIssue(field="mobile", reason=f"mobile: {AS_TEXT}"))


def test_a_family_id_in_scientific_notation_says_the_same() -> None:
    assert n.family_id("1.2345E+07") == (
        None,
        FieldIssue(field="family_id", reason=f"family_id: {AS_TEXT}"),
    )


def test_a_trailing_point_zero_on_a_digit_column_is_accepted() -> None:
    assert n.mobile("9812045678.0") == ("9812045678", None)
    assert n.family_id("12345678.0") == ("12345678", None)
    assert n.days_paid("days_paid", "30.0") == 30
    assert n.digit_text("employee_code", "100234.0") == "100234"


def test_an_identifier_in_scientific_notation_rejects_its_row() -> None:
    with pytest.raises(n.FieldError, match=rf"^employee_code: {AS_TEXT}$"):
        n.digit_text("employee_code", "1.00234E+05")


def test_days_paid_must_be_whole() -> None:
    with pytest.raises(n.FieldError, match=r"days_paid: '30\.5' is not a whole number of days"):
        n.days_paid("days_paid", "30.5")


def test_the_docs_list_every_accepted_spelling() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    table = (
        *spellings.DATE_SPELLINGS,
        *spellings.MONTH_SPELLINGS,
        *spellings.RANGE_SPELLINGS,
        *spellings.AMOUNT_SPELLINGS,
    )
    missing = [example for _, example in table if f"`{example}`" not in docs]
    assert not missing, f"docs/ingest-sources.md lacks {missing}"


def test_an_amount_too_large_for_a_month_is_refused_naming_the_field() -> None:

    assert n.amount("amount", "99,99,99,999.99") == Decimal("999999999.99")
    with pytest.raises(n.FieldError, match="not a monthly amount") as refused:
        n.amount("amount", "7777777777777777777777777777777")
    assert refused.value.field == "amount"
