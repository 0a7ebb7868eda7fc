"""What the parser property tests draw and what they hold every result to: the columns
the generator writes (Aadhaar columns included, which the parsers must drop), plausible
and arbitrary cells, CSV tables of them, JSON values of any type, and the check that
every result is a draft or a reasoned rejection, that the counts add up and that the
planted Aadhaar number never comes out."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ingest.domain.model import ParseStats, Rejection
from ingest.generator import EBILLING_COLUMNS, HKRNL_COLUMNS, MASTER_COLUMNS
from tests.factories.aadhaar import grouped, valid_aadhaar

# The columns the generator writes, Aadhaar columns included: the parsers must drop them.
HKRNL, EBILLING, MASTER = HKRNL_COLUMNS, EBILLING_COLUMNS, list(MASTER_COLUMNS)
T = TypeVar("T")
PLANTED = grouped(valid_aadhaar("fuzz"))  # passes the Verhoeff check: must never come out

plausible = st.sampled_from(
    [
        "",
        "HK1",
        "E1",
        "Ramesh",
        "राम",
        "01-04-2016",
        "2016-04-01",
        "43831",
        "31-13-2019",
        "9812345678",
        "+91 98123 45678",
        "AB12CD34",
        PLANTED,
        "-5",
        "35",
        "30",
        "15000",
        "05-2024",
        "2210-01-110-99-69",
        "full_time",
        "CSS",
        "office",
        "ddo",
        "HLT",
        "Y",
        "N",
        "01-04-2016:31-03-2020;01-04-2020:",
        "01-04-2020:01-01-2019",
        "x:y",
        '"',
        "\r",
    ]
)
cell = st.one_of(plausible, st.text(max_size=12))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def table(columns: list[str]) -> st.SearchStrategy[list[str]]:
    rows = st.lists(
        st.lists(cell, min_size=len(columns) - 1, max_size=len(columns) + 1), max_size=8
    )

    def render(body: list[list[str]]) -> list[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(body)
        return out.getvalue().splitlines()

    return rows.map(render)


def refused_or(call: Callable[[], T]) -> T | ValueError:
    """What `call` returns, or the ValueError it refuses the input with."""
    try:
        return call()
    except ValueError as error:
        return error


def check(results: list[Any], stats: ParseStats, kind: type) -> None:
    assert stats.received == stats.accepted + stats.rejected
    rejections = [r for r in results if isinstance(r, Rejection)]
    assert len(rejections) == stats.rejected
    for rejection in rejections:
        assert rejection.reason.startswith(f"{rejection.field}:")
        assert rejection.row_number >= 1
        assert PLANTED not in repr(rejection.raw)
    assert all(isinstance(r, Rejection | kind) for r in results)
    assert PLANTED not in repr([r for r in results if isinstance(r, kind)])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | cell,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
hkrnl_like = st.dictionaries(st.sampled_from([*HKRNL, "aadhaar"]), json_values, max_size=8)
