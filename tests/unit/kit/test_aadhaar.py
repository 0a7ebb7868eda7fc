"""The one scanner that decides whether a text holds an Aadhaar number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicekit import aadhaar
from servicekit.aadhaar import (
    REDACTED,
    contains_aadhaar,
    redact_aadhaar,
    redact_fields,
    redact_tree,
    verhoeff_digit,
    verhoeff_valid,
)
from tests.factories.aadhaar import grouped, invalid_aadhaar, valid_aadhaar

SEPARATORS = [" ", "-", "  ", " - ", "\u00a0", "\u2013", "\u200b", "\t"]
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")

elevens = st.from_regex(r"\A[2-9][0-9]{10}\Z")
valid = elevens.map(lambda body: body + verhoeff_digit(body))
invalid = st.tuples(elevens, st.integers(1, 9)).map(
    lambda t: t[0] + str((int(verhoeff_digit(t[0])) + t[1]) % 10)
)
# Text around a number: anything that does not put a digit or a separator against it.
around = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


def _spread(number: str, cuts: list[int], separator: str) -> str:
    out, last = [], 0
    for cut in sorted(set(cuts)):
        out.append(number[last:cut])
        last = cut
    out.append(number[last:])
    return separator.join(part for part in out if part)


def test_the_verhoeff_check_of_known_numbers() -> None:
    assert verhoeff_digit("236") == "3"
    assert verhoeff_valid("2363")
    assert not verhoeff_valid("2364")


@pytest.mark.parametrize(
    "template",
    ["Ramesh {}", "Aadhaar {}", "uid {} in remarks", "{}", "x{}y", "राम {} कुमार"],
)
def test_a_valid_number_in_any_text_is_redacted(template: str) -> None:
    number = valid_aadhaar(template)
    for shown in (number, grouped(number), grouped(number, "-")):
        text, found = redact_aadhaar(template.format(shown))
        assert found == 1
        assert text == template.format(REDACTED)


def test_a_number_failing_the_check_is_left_alone() -> None:
    for seed in range(50):
        number = invalid_aadhaar(seed)
        text = f"Ramesh {grouped(number)} / {number}"
        assert redact_aadhaar(text) == (text, 0)


def test_a_number_starting_0_or_1_or_longer_than_12_digits_is_not_an_aadhaar_number() -> None:
    body = "1" + valid_aadhaar(3)[1:11]
    assert not contains_aadhaar(body + verhoeff_digit(body))
    assert not contains_aadhaar("1" + valid_aadhaar(4))
    assert not contains_aadhaar(valid_aadhaar(4) + "7")


def test_a_mobile_with_its_country_code_is_kept_in_a_phone_field_only() -> None:
    for seed in range(200):
        mobile = "91" + valid_aadhaar(seed)[2:]
        if mobile[2] in "6789" and verhoeff_valid(mobile):
            break
    else:
        raise AssertionError("no 91-number passing the check found")
    assert redact_fields({"mobile": mobile}) == ({"mobile": mobile}, {})
    assert redact_fields({"remarks": mobile}) == ({"remarks": REDACTED}, {"remarks": 1})


def test_a_mobile_and_a_number_side_by_side_are_told_apart() -> None:
    number = valid_aadhaar("side")
    assert redact_aadhaar(f"98765 43210 {number}") == (f"98765 43210 {REDACTED}", 1)


def test_numbers_in_field_names_and_nested_values_are_redacted_and_counted() -> None:
    number = valid_aadhaar("tree")
    clean, counts = redact_fields({f"note {number}": "a", "name": f"{number} {number}"})
    assert clean == {f"note {REDACTED}": "a", "name": f"{REDACTED} {REDACTED}"}
    assert counts == {f"note {REDACTED}": 1, "name": 2}
    tree, found = redact_tree({"a": [number, {number: grouped(number)}], "n": 5})
    assert found == 3
    assert number not in repr(tree)


@given(valid, around, around, st.sampled_from(SEPARATORS), st.lists(st.integers(1, 11)))
def test_any_valid_number_embedded_in_any_text_is_redacted(
    number: str, before: str, after: str, separator: str, cuts: list[int]
) -> None:
    before = before.rstrip("0123456789-\u2013\u200b ") + (" " if before else "")
    after = (" " if after else "") + after.lstrip("0123456789-\u2013\u200b ")
    for shown in (number, _spread(number, cuts, separator), number.translate(DEVANAGARI)):
        text, found = redact_aadhaar(before + shown + after)
        assert found >= 1
        assert shown not in text
        assert not contains_aadhaar(text)


@given(invalid, around, st.sampled_from(SEPARATORS))
def test_any_number_failing_the_check_is_untouched(
    number: str, before: str, separator: str
) -> None:
    before = "".join(c for c in before if not c.isdigit())
    for shown in (number, grouped(number, separator)):
        text = f"{before} {shown}"
        if not contains_aadhaar(before):
            assert redact_aadhaar(text) == (text, 0)


def test_a_text_scanned_again_is_judged_the_same_and_only_clean_texts_are_remembered() -> None:
    head, number = "2210-01-110-97-69", valid_aadhaar("remembered")
    for _ in range(3):  # the second and third scans find the remembered verdict
        assert redact_fields({"head_of_account": head}) == ({"head_of_account": head}, {})
        assert redact_fields({"name": f"Asha {number}"})[1] == {"name": 1}
    assert (head, False) in aadhaar._CLEAN
    assert not any(number in text for text, _ in aadhaar._CLEAN)


@pytest.mark.parametrize(
    "separator",
    [
        *["\u202e", "\u2066", "\u2069", "\u0301", "\u034f", "\u180e", "\ufe0f", "\u2062"],
        *["\U000e0020", "\x00", "\x01", "\x1f", "\x7f", "\x85", "\ud800"],
    ],
)
def test_an_invisible_character_between_any_two_digits_hides_nothing(separator: str) -> None:
    number = valid_aadhaar(11)
    for shown in (separator.join(number), grouped(number, separator)):
        assert redact_aadhaar(f"Ram {shown} esh") == (f"Ram {REDACTED} esh", 1), repr(shown)


@pytest.mark.parametrize("separator", [".", "_", ":", ";", ",", "+", "*", "|", "·", "•", "．"])
def test_a_number_printed_4_4_4_with_punctuation_is_redacted(separator: str) -> None:
    number = valid_aadhaar(12)
    assert redact_aadhaar(f"uid {grouped(number, separator)}.") == (f"uid {REDACTED}.", 1)
    assert contains_aadhaar(f"({number[:4]}) {number[4:8]} {number[8:]}")


def test_punctuation_joins_the_printed_grouping_only() -> None:
    """Dates, ranges and letter numbers next to each other are not one number."""
    for seed in range(100):
        number = valid_aadhaar(seed)
        assert not contains_aadhaar(".".join((number[:3], number[3:6], number[6:9], number[9:])))
        assert not contains_aadhaar(":".join((number[:2], number[2:6], number[6:])))
        assert not contains_aadhaar(grouped(number, "/"))  # a letter number 2024/1234/5678
    deployments = "01-04-2016:31-03-2020;01-04-2020:31-03-2024"
    assert redact_aadhaar(deployments) == (deployments, 0)


@pytest.mark.parametrize(
    "digits", ["०१२३४५६७८९", "０１２３４５６７８９", "⁰¹²³⁴⁵⁶⁷⁸⁹", "₀₁₂₃₄₅₆₇₈₉", "⓪①②③④⑤⑥⑦⑧⑨"]
)
def test_digits_of_any_form_are_digits(digits: str) -> None:
    number = valid_aadhaar(13).translate(str.maketrans("0123456789", digits))
    assert redact_aadhaar(f"x {number} y") == (f"x {REDACTED} y", 1)


def test_every_character_with_a_digit_value_is_a_digit_to_the_scanner() -> None:
    import sys
    import unicodedata

    from servicekit.aadhaar import _GROUP

    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if 0 <= unicodedata.digit(chr(code), -1) <= 9 and not _GROUP.fullmatch(chr(code))
    ]
    assert missed == []


def test_texts_joined_for_the_quick_search_stay_apart() -> None:
    number = valid_aadhaar(14)
    values = {"a": number[:4], "b": number[4:]}
    assert redact_fields(values) == (values, {})
