"""What a bench run records: the printed figures (value, floor, ratio, target) and the raw
per-run summaries, written together to results.json."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from bench import load
from bench.stack import machine
from bench.stats import Figure, Target, summary

RATIO_TARGETS = {"rps": Target(at_least=0.6), "p99_ms": Target(at_most=3.0)}
UNITS = {"rps": "req/s", "p50_ms": "ms", "p95_ms": "ms", "p99_ms": "ms", "errors": "count"}


class Recorder:
    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.raw: dict[str, Any] = {}
        self.notes: list[str] = []

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        print(figure.line(), flush=True)

    def note(self, text: str) -> None:
        """Something a reader of the figures must know (written to results.json too)."""
        self.notes.append(text)
        print(f"note: {text}", flush=True)

    def load_figures(
        self, name: str, run: load.Run, floor: dict[str, float], c: int, targets: bool = True
    ) -> None:
        """rps, percentiles and errors of one closed-loop run, each against the floor's;
        the ratio targets apply at c=32."""
        got = summary(run.latencies, run.errors, run.seconds)
        self.raw[name] = {"service": got, "floor": floor, "errors": run.error_kinds()}
        for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "errors"):
            target = RATIO_TARGETS.get(key) if c == 32 and targets else None
            floor_value = floor[key] if key != "errors" else None
            self.add(Figure(f"{name} {key}", got[key], UNITS[key], floor_value, target))

    def results(self, args: argparse.Namespace, mongo_uri: str) -> dict[str, Any]:
        return {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(mongo_uri),
            "options": {k: str(v) for k, v in vars(args).items()},
            "figures": [f.to_json() for f in self.figures],
            "notes": self.notes,
            "raw": self.raw,
        }

    def targets_met(self) -> tuple[int, int]:
        met = [f.met for f in self.figures if f.met is not None]
        return sum(met), len(met)


def drive(jobs: list[load.Job], c: int) -> dict[str, float]:
    """A closed-loop run's summary (used for the floor)."""
    run = load.run(jobs, c)
    return summary(run.latencies, run.errors, run.seconds)
