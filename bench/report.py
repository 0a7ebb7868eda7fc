"""results.json as the Markdown tables of docs/benchmarks.md: every figure, then the targets
with their figure and met or not, so that the document quotes the run and nothing else.

    uv run python -m bench.report [bench/results.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.stats import Target

DEFAULT = Path(__file__).with_name("results.json")


def number(value: float | None) -> str:
    """Three significant figures, thousands grouped: 0.0833, 60.6, 1,428, 104,892."""
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _target(figure: dict[str, Any]) -> Target | None:
    return Target(**figure["target"]) if figure["target"] else None


def figures_table(results: dict[str, Any]) -> str:
    rows = [
        "| figure | value | unit | floor | ratio | target | met |",
        "|---|---:|---|---:|---:|---|---|",
    ]
    for f in results["figures"]:
        target = _target(f)
        met = {True: "yes", False: "**no**", None: "-"}[f["target_met"]]
        rows.append(
            f"| {f['name']} | {number(f['value'])} | {f['unit']} | {number(f['floor'])} "
            f"| {number(f['ratio'])} | {target.describe() if target else '-'} "
            f"| {met if target else '-'} |"
        )
    return "\n".join(rows)


def targets_table(results: dict[str, Any]) -> str:
    rows = ["| figure | value | floor | ratio | target | met |", "|---|---:|---:|---:|---|---|"]
    targeted = [f for f in results["figures"] if f["target"]]
    for f in targeted:
        target = _target(f)
        assert target is not None
        met = {True: "yes", False: "**no**", None: "not measured"}[f["target_met"]]
        rows.append(
            f"| {f['name']} | {number(f['value'])} {f['unit']} | {number(f['floor'])} "
            f"| {number(f['ratio'])} | {target.describe()} | {met} |"
        )
    met_count = sum(bool(f["target_met"]) for f in targeted)
    rows.append("")
    rows.append(f"{met_count} of {len(targeted)} targets met.")
    return "\n".join(rows)


def render(results: dict[str, Any]) -> str:
    machine = results["machine"]
    head = (
        f"Run of {results['date']}: {machine['cpus']} CPUs ({machine['cpu_model']}), "
        f"{machine['ram_gib']} GiB, Python {machine['python']}, Kafka {machine['kafka']}, "
        f"mongod {machine['mongod']}."
    )
    notes = "".join(f"\n- {note}" for note in results.get("notes", []))
    return "\n\n".join(
        [head, "### Targets", targets_table(results), "### Every figure", figures_table(results)]
        + ([f"Notes of the run:{notes}"] if notes else [])
    )


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    print(render(json.loads(path.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
