"""Identifiers the services make never read as an Aadhaar number: stored, published and
shown to officers, such an id would be the one Aadhaar-like number in data that holds
none (a batch id joined a time stamp to a random part: `...T202619-222669f6`)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from ingest import http
from servicekit.aadhaar import contains_aadhaar, new_id
from tests.factories.aadhaar import valid_aadhaar


def test_an_aadhaar_like_draw_is_drawn_again() -> None:
    draws = iter([f"batch-{valid_aadhaar(1)}", f"batch-{valid_aadhaar(2)}", "batch-clean"])

    assert new_id(lambda: next(draws)) == "batch-clean"


def test_random_hex_ids_hold_no_aadhaar_like_number() -> None:
    """About 1 in 1,000 uuid4 hex strings has 12 digits between letters that pass."""
    ids = [new_id() for _ in range(20_000)]

    assert not [value for value in ids if contains_aadhaar(value)]
    assert len(set(ids)) == len(ids)
    assert all(len(value) == 32 for value in ids)


def test_batch_ids_made_at_any_second_hold_none() -> None:
    """At 20:26:19 a random part starting with 6 digits made 12 digits joined by a hyphen;
    about 1 batch id in 170 made then read as an Aadhaar number."""
    at = datetime(2026, 12, 1, 20, 26, 19, tzinfo=UTC)
    api = cast(Any, SimpleNamespace(clock=lambda: at))
    ids = [http._batch(api, "hkrnl", None, None).batch_id for _ in range(5000)]

    assert all(value.startswith("hkrnl-20261201T202619-") for value in ids)
    assert not [value for value in ids if contains_aadhaar(value)]
