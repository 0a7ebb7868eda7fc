"""promtool tests built from what a real run exported: scraped /metrics pages become a
promtool input series (one sample a scrape), so an alert is checked on real names,
labels and values rather than on series written by hand."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.integration.ops.observability import PROMETHEUS, promtool

_SAMPLE = re.compile(r"^([a-zA-Z_:][\w:]*)(\{.*\})?\s+(\S+)")


def samples(page: str, metric: str) -> dict[str, float]:
    """Series of `metric` on one page: selector text (`name{labels}`) -> value."""
    found: dict[str, float] = {}
    for line in page.splitlines():
        match = _SAMPLE.match(line)
        if match and match.group(1) == metric:
            found[metric + (match.group(2) or "")] = float(match.group(3))
    return found


def input_series(pages: list[str], metrics: list[str]) -> list[dict[str, str]]:
    """promtool `input_series` from consecutive scrapes; `_` where a series was absent."""
    per_page = [{k: v for m in metrics for k, v in samples(page, m).items()} for page in pages]
    names = sorted({name for page in per_page for name in page})
    return [
        {
            "series": name,
            "values": " ".join("_" if name not in page else repr(page[name]) for page in per_page),
        }
        for name in names
    ]


def run_promtool_test(
    folder: Path,
    series: list[dict[str, str]],
    interval: str,
    alert_tests: list[dict[str, Any]] | None = None,
    expr_tests: list[dict[str, Any]] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`promtool test rules` on the committed alerts.yml with the given series."""
    test: dict[str, Any] = {"interval": interval, "input_series": series}
    if alert_tests:
        test["alert_rule_test"] = alert_tests
    if expr_tests:
        test["promql_expr_test"] = expr_tests
    document = {
        "rule_files": [str(PROMETHEUS / "alerts.yml")],
        "evaluation_interval": interval,
        "tests": [test],
    }
    path = folder / "from-the-run_test.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, width=1000))
    return subprocess.run(
        [promtool(), "test", "rules", str(path)], capture_output=True, text=True, check=False
    )


def rule(name: str) -> dict[str, Any]:
    document = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    [found] = [r for g in document["groups"] for r in g["rules"] if r.get("alert") == name]
    return dict(found)
