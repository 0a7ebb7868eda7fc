"""Generated hostile source data through the running ingest app on the real Kafka and
MongoDB: pushes repeating ids with conflicting values keep the first record of each id and
reject each conflict naming the row it conflicts with; every row is accounted for."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from ingest.settings import IngestSettings
from tests.factories import unique
from tests.fuzz.ingest.hostile import FUZZ, accounted, push, record, rejections


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from("6789")), min_size=1, max_size=8))
async def test_duplicate_ids_keep_the_first_and_reject_each_conflict_naming_it(
    ingest: tuple[httpx.AsyncClient, IngestSettings, Any], rows: list[tuple[int, str]]
) -> None:
    client, _, _ = ingest
    refs = [unique("HK") for _ in range(3)]
    records = [record(refs[i], mobile=f"981234567{last}") for i, last in rows]
    response = await push(client, json.dumps(records).encode())

    report = response.json()
    accounted(report, len(records))
    first: dict[int, tuple[int, str]] = {}
    expected: dict[int, int] = {}
    for number, (i, last) in enumerate(rows, start=1):
        if i not in first:
            first[i] = (number, last)
        elif first[i][1] != last:
            expected[number] = first[i][0]
    rejected = await rejections(client, report)
    assert {r["row_number"]: r["reason"] for r in rejected}.keys() == expected.keys()
    for r in rejected:
        assert f"conflicting_duplicate: row {expected[r['row_number']]} " in r["reason"]
    assert report["published"] == len(first)
    assert report["unchanged"] == len(rows) - len(first) - len(expected)
