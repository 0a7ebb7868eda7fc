"""Two rows of one batch for the same key: identical ones are one fact told twice, but
rows that disagree cannot both be true. The first valid row stands; each later row with
other values is rejected as `conflicting_duplicate`, naming the row it contradicts, so it
is kept in the quarantine instead of being counted `stale` without a reason. Pure.

What is kept per key is the first row's number and a hash of each of its values, packed
(about 200 bytes a key), not the values themselves.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ingest.domain.normalise import FieldError

REASON = "conflicting_duplicate"
IGNORED = frozenset({"row_number", "issues"})


def _hash(value: Any) -> int:
    try:
        return hash(value)
    except TypeError:  # an unhashable value (a list, say): its text stands for it
        return hash(repr(value))


@dataclass
class FirstSeen:
    """Per key, the first valid row of the batch and its values' hashes."""

    rows: dict[str, tuple[int, tuple[str, ...], bytes]] = field(default_factory=dict)
    names: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    def check(self, key: str, id_field: str, row_number: int, values: Mapping[str, Any]) -> None:
        """Remember the first row of `key`; raise `FieldError` for a later, different one."""
        names = tuple(k for k in values if k not in IGNORED)
        names = self.names.setdefault(names, names)  # one tuple for every row of a source
        hashes = struct.pack(f"{len(names)}q", *(_hash(values[k]) for k in names))
        first = self.rows.get(key)
        if first is None:
            self.rows[key] = (row_number, names, hashes)
            return
        first_row, first_names, first_hashes = first
        if (names, hashes) == (first_names, first_hashes):
            return
        differ = _differ(first_names, first_hashes, names, hashes)
        raise FieldError(
            id_field,
            f"{REASON}: row {first_row} has the same {id_field} {key!r} with other values"
            + (f" ({', '.join(differ)})" if differ else ""),
        )


def _differ(
    first_names: tuple[str, ...], first: bytes, names: tuple[str, ...], now: bytes
) -> list[str]:
    before = dict(zip(first_names, struct.unpack(f"{len(first_names)}q", first), strict=True))
    after = dict(zip(names, struct.unpack(f"{len(names)}q", now), strict=True))
    return sorted(k for k in {*before, *after} if before.get(k) != after.get(k))
