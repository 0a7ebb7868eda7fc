"""The bench's arithmetic: percentiles, rates, ratios to the floor and target checks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by the nearest-rank method; NaN for no values."""
    if not values:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile q must be in 0..100, got {q}")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def rate(count: int, seconds: float) -> float:
    """Events per second; NaN when no time passed."""
    return count / seconds if seconds > 0 else math.nan


def ratio(value: float, floor: float | None) -> float | None:
    """value / floor, or None when there is no floor (or it is zero or NaN)."""
    if floor is None or floor == 0 or math.isnan(floor) or math.isnan(value):
        return None
    return value / floor


@dataclass(frozen=True)
class Target:
    """`ratio >= at_least` or `ratio <= at_most` against the floor; `absolute` compares the
    value itself (no floor), e.g. SMS p99 under 1 s."""

    at_least: float | None = None
    at_most: float | None = None
    absolute: bool = False

    def met(self, value: float, ratio_: float | None) -> bool | None:
        compared = value if self.absolute else ratio_
        if compared is None or math.isnan(compared):
            return None
        if self.at_least is not None and compared < self.at_least:
            return False
        if self.at_most is None:
            return True
        return compared < self.at_most if self.absolute else compared <= self.at_most

    def describe(self) -> str:
        what = "value" if self.absolute else "ratio"
        if self.at_least is not None:
            return f"{what} >= {self.at_least:g}"
        if self.at_most is not None:
            return f"{what} {'<' if self.absolute else '<='} {self.at_most:g}"
        return "-"


@dataclass
class Figure:
    """One printed line: a measured value, its floor and the ratio between them."""

    name: str
    value: float
    unit: str
    floor: float | None = None
    target: Target | None = None

    @property
    def ratio(self) -> float | None:
        return ratio(self.value, self.floor)

    @property
    def met(self) -> bool | None:
        return self.target.met(self.value, self.ratio) if self.target else None

    def line(self) -> str:
        floor = "-" if self.floor is None else f"{self.floor:.4g}"
        ratio_ = "-" if self.ratio is None else f"{self.ratio:.2f}"
        target = self.target.describe() if self.target else "-"
        met = {True: "yes", False: "NO", None: "-"}[self.met]
        return (
            f"{self.name:<40} {self.value:>10.4g} {self.unit:<6} floor {floor:>9} "
            f"ratio {ratio_:>6}  target {target:<12} met {met}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": None if math.isnan(self.value) else self.value,
            "unit": self.unit,
            "floor": self.floor,
            "ratio": self.ratio,
            "target": asdict(self.target) if self.target else None,
            "target_met": self.met,
        }


def summary(latencies: Sequence[float], errors: int, seconds: float) -> dict[str, float]:
    """requests/s, p50/p95/p99 in ms and errors of one load run."""
    return {
        "rps": rate(len(latencies), seconds),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "errors": float(errors),
    }
