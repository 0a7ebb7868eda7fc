"""Two rows of one batch for the same key: identical ones are one fact told twice, but
rows that disagree cannot both be true. The first valid row stands; each later row with
other values is rejected as `conflicting_duplicate`, naming the row it contradicts, so it
is kept in the quarantine instead of being counted `stale` without a reason. Pure."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ingest.domain.normalise import FieldError

REASON = "conflicting_duplicate"
IGNORED = frozenset({"row_number", "issues"})


def _digest(values: Mapping[str, Any]) -> bytes:
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@dataclass
class FirstSeen:
    """Per key, the first valid row of the batch and a digest of its values."""

    rows: dict[str, tuple[int, bytes, dict[str, Any]]] = field(default_factory=dict)

    def check(self, key: str, id_field: str, row_number: int, values: Mapping[str, Any]) -> None:
        """Remember the first row of `key`; raise `FieldError` for a later, different one."""
        compared = {k: v for k, v in values.items() if k not in IGNORED}
        digest = _digest(compared)
        first = self.rows.get(key)
        if first is None:
            self.rows[key] = (row_number, digest, _small(compared))
            return
        first_row, first_digest, first_values = first
        if digest == first_digest:
            return
        differ = sorted(k for k in compared if _small({k: compared[k]}) != {k: first_values.get(k)})
        raise FieldError(
            id_field,
            f"{REASON}: row {first_row} has the same {id_field} {key!r} with other values"
            + (f" ({', '.join(differ)})" if differ else ""),
        )


def _small(values: Mapping[str, Any]) -> dict[str, Any]:
    """What is kept of the first row to name the fields that differ (short digests)."""
    return {k: _digest({k: v})[:6] for k, v in values.items()}
