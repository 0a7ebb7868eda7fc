"""Which texts from outside are refused: lone surrogates and control characters."""

from __future__ import annotations

import pytest

from servicekit.text import printable, text_problem, tree_problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Ram\x00", "contains the control character U+0000 at character 4"),
        ("\ud800", "is not valid Unicode text (a lone surrogate U+D800 at character 1)"),
        ("a\x7fb", "contains the control character U+007F at character 2"),
        ("a\x85", "contains the control character U+0085 at character 2"),
    ],
)
def test_surrogates_and_control_characters_are_refused_with_where(text: str, problem: str) -> None:
    assert text_problem(text) == problem


def test_ordinary_text_tabs_and_line_ends_are_fit() -> None:
    assert text_problem("सुनीता देवी\tRamesh\r\n") is None


def test_a_refused_text_is_kept_printable() -> None:
    assert printable("a\x00b\ud800") == "a<U+0000>b<U+D800>"


def test_the_path_of_a_refused_text_in_a_tree_is_named() -> None:
    tree = {"a": [1, {"b": "x\x00"}], "c": "fine"}
    assert tree_problem(tree) == "a[1].b: contains the control character U+0000 at character 2"
    assert (
        tree_problem({"k\ud800": 1})
        == "k<U+D800>: the name is not valid Unicode text (a lone surrogate U+D800 at character 2)"
    )
    assert tree_problem({"a": ["ok"]}) is None


def test_a_label_loses_its_bidi_and_zero_width_characters_only() -> None:
    from servicekit.text import without_format

    assert without_format("\u202efdp.exe") == "fdp.exe"
    assert without_format("a\u200bb\u2066c\u2069.csv") == "abc.csv"
    assert without_format("पत्र März.csv") == "पत्र März.csv"
    assert without_format("plain.csv") == "plain.csv"
