"""The link index on the real mongod: a key the index lacked is written as a new entry,
and one that another upload filed meanwhile still gains the id (nothing is lost)."""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient

from ingest.adapters.mongo import MongoLinks
from tests.factories import unique


async def test_new_keys_are_filed_with_every_id_and_a_key_filed_meanwhile_keeps_both(
    mongo: AsyncMongoClient[dict[str, Any]],
) -> None:
    links = MongoLinks(mongo[unique("ingest")]["links"], "link-key")
    fresh, raced, known = unique("fm|F"), unique("fm|R"), unique("nd|K")
    await links.add([(known, "hkrnl:A")])
    await links.add([(raced, "hkrnl:B")])  # filed after the upload below read the index

    await links.add(
        [
            (fresh, "ebilling:1"),
            (fresh, "ebilling:2"),
            (raced, "ebilling:3"),
            (known, "ebilling:4"),
        ],
        new={fresh, raced},
    )

    assert await links.find([fresh, raced, known]) == {
        fresh: {"ebilling:1", "ebilling:2"},
        raced: {"hkrnl:B", "ebilling:3"},
        known: {"hkrnl:A", "ebilling:4"},
    }
