"""An integer past 64 bits is found, named by its field, wherever it sits in an event."""

from __future__ import annotations

from servicekit.storable import unstorable_field


def test_an_integer_past_64_bits_is_named_by_its_path() -> None:
    event = {"source_version": 7, "periods": [{"days": 3}, {"days": 2**63}], "flag": True}
    found = unstorable_field(event)
    assert found is not None
    assert found.field == "periods.1.days"
    assert "past what can be stored" in str(found)


def test_the_64_bit_bounds_themselves_are_storable() -> None:
    assert unstorable_field({"a": 2**63 - 1, "b": -(2**63), "c": 1.5e300, "d": "9" * 40}) is None
    assert unstorable_field({"a": -(2**63) - 1}) is not None


def test_a_long_number_is_shown_cut() -> None:
    found = unstorable_field({"amount": 10**40})
    assert found is not None
    assert "(41 digits)" in str(found)
