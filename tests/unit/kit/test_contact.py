"""The shared contact checks agree with ingest's normalisation of source fields."""

from __future__ import annotations

import pytest

from ingest.domain import normalise
from servicekit.contact import check_family_id, check_mobile

MOBILES = [
    "9812345670",
    "+91 98123 45670",
    "0091-9812345670",
    "09812345670",
    "919812345670",
    "(981) 234-5670",
    "5812345670",
    "98123",
    "",
    None,
    "98123456701",
    "९८१२३४५६७०",
    " 7012345678 ",
]
FAMILY_IDS = ["ab12cd34", "AB12CD345", "AB-12 CD34", "AB12", "AB12CD3456", "", None, "AB12CD3!"]


@pytest.mark.parametrize("value", MOBILES)
def test_the_mobile_check_agrees_with_ingest(value: str | None) -> None:
    value_ingest, issue = normalise.mobile(value)
    assert check_mobile(value) == (value_ingest, issue.reason if issue else None)


@pytest.mark.parametrize("value", FAMILY_IDS)
def test_the_family_id_check_agrees_with_ingest(value: str | None) -> None:
    value_ingest, issue = normalise.family_id(value)
    assert check_family_id(value) == (value_ingest, issue.reason if issue else None)
