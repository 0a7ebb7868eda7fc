"""A business "no" as a value: why, in words a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Reason = Literal[
    "not_found",
    "forbidden",
    "invalid_transition",
    "conflict",
    "invalid",
    "too_large",
    "unsupported_type",
    "employee_not_in_your_offices",
    "employee_not_in_source_data",
]


@dataclass(frozen=True)
class Refusal:
    reason: Reason
    message: str
    current_state: str | None = None
