"""JSON objects as the ingest reads them. Pure."""

from __future__ import annotations

from typing import Any


class Record(dict[str, Any]):
    """A JSON object as read (`json_object`): `conflicts` names each field it gives twice
    with different values, under one key or under two names of the field; the first
    stays, and the row is rejected naming the field."""

    conflicts: tuple[str, ...] = ()


def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`object_pairs_hook` of the JSON reader: Python's own keeps the last of two equal
    keys and says nothing, so `{"mobile": A, "mobile": B}` would pass as B."""
    record = Record(pairs)
    if len(record) == len(pairs):
        return record
    record.clear()
    conflicts: list[str] = []
    for key, value in pairs:
        if key not in record:
            record[key] = value
        elif record[key] != value and key not in conflicts:
            conflicts.append(key)
    record.conflicts = tuple(conflicts)
    return record
