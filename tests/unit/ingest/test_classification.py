"""Master data's classifying columns: a head's funding, a post's employment."""

from __future__ import annotations

import pytest

from ingest.domain import normalise as n
from ingest.domain.master import entity


def row(**cells: str) -> dict[str, str]:
    return {"entity_type": "head", "code": "2210-01-110-97", "name": "NHM", **cells}


def test_a_head_is_classified_by_its_funding_and_a_post_by_its_employment() -> None:
    assert entity(row(funding="Centrally Sponsored"), 2).funding == "centrally_sponsored"
    assert entity(row(funding="CSS"), 2).funding == "centrally_sponsored"
    assert entity(row(funding=""), 2).funding is None
    post = {"entity_type": "post", "code": "P90", "name": "Sweeper", "employment": "Part Time"}
    assert entity(post, 3).employment == "part_time"


@pytest.mark.parametrize(
    ("cells", "field", "reason"),
    [
        (row(funding="federal"), "funding", "is not centrally_sponsored or state"),
        (row(employment="part_time"), "employment", "only given for a post, not a head"),
        (
            {"entity_type": "post", "code": "P1", "name": "x", "funding": "state"},
            "funding",
            "only given for a head, not a post",
        ),
    ],
)
def test_a_classification_that_does_not_fit_is_rejected_naming_the_field(
    cells: dict[str, str], field: str, reason: str
) -> None:
    with pytest.raises(n.FieldError) as error:
        entity(cells, 2)
    assert error.value.field == field
    assert reason in error.value.reason
