"""What a MongoDB document cannot hold. Pure: no I/O.

An event that fits its contract can still hold what no MongoDB document can (an integer
past 64 bits): writing it fails the same way on every redelivery, so it is as
unprocessable as bad JSON, and retrying it would stall its partition for good.
"""

from __future__ import annotations

from typing import Any

from bson.errors import InvalidDocument

UNSTORABLE = (OverflowError, InvalidDocument)
INT64 = 2**63


class UnstorableValueError(ValueError):
    """An event holding a value no MongoDB document can hold, naming the field."""

    def __init__(self, field: str, value: object) -> None:
        self.field = field
        shown = str(value)
        shown = shown if len(shown) <= 24 else f"{shown[:20]}... ({len(shown)} digits)"
        super().__init__(f"{field}: {shown} is past what can be stored (a 64-bit integer)")


def unstorable_field(value: Any, path: str = "") -> UnstorableValueError | None:
    """The first integer past 64 bits in a model's dump (`model_dump()`), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        if -INT64 <= value < INT64:
            return None
        return UnstorableValueError(path or "message", value)
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = unstorable_field(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None
