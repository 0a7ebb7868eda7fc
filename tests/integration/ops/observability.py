"""What the alert rules and dashboards query, and what the services export.

Shared by the unit test (files are well formed, promtool accepts them) and the integration
test (every queried metric is really exported by the service that owns it)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3]
PROMETHEUS = ROOT / "deploy" / "prometheus"
GRAFANA = ROOT / "deploy" / "grafana"

# Metrics that Prometheus itself records for every scrape target, not a service.
PROMETHEUS_BUILTINS = frozenset({"up"})

# Which service exports a metric, by name prefix. FastStream's and the kit's metrics are
# exported by every service that consumes or publishes; the OTP service is checked for them.
OWNER_BY_PREFIX = {
    "otp_": "otp",
    "notify_": "notify",
    "certification_": "certification",
    "ingest_": "ingest",
    "faststream_": "otp",
    "seva_": "otp",
}

_FUNCTIONS_AND_KEYWORDS = frozenset(
    {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring"}
    | {"group_left", "group_right", "inf", "nan"}
)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGE = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENT = re.compile(r"(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()")
_SELECTOR = re.compile(r"([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}")
_LABEL = re.compile(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)")


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (functions, keywords, labels dropped)."""
    text = _STRING.sub('""', expr)
    text = _GROUPING.sub(" ", _RANGE.sub(" ", _MATCHERS.sub(" ", text)))
    text = re.sub(r"\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b", " ", text)
    return {name for name in _IDENT.findall(text) if name not in _FUNCTIONS_AND_KEYWORDS}


def matched_labels(expr: str) -> set[tuple[str, str]]:
    """(metric, label) pairs that an expression's selectors filter on."""
    text = _STRING.sub('""', expr)
    return {
        (metric, label)
        for metric, body in _SELECTOR.findall(text)
        for label in _LABEL.findall(body)
    }


def alert_rules() -> list[dict[str, Any]]:
    document = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboards() -> dict[str, dict[str, Any]]:
    """Each dashboard JSON file by name; json.loads raises on a malformed one."""
    return {
        path.name: json.loads(path.read_text())
        for path in sorted((GRAFANA / "dashboards").glob("*.json"))
    }


def panels(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])


def queries() -> dict[str, str]:
    """Every PromQL expression in the rules and dashboards, by where it is written."""
    found = {f"alert {rule['alert']}": str(rule["expr"]) for rule in alert_rules()}
    for name, dashboard in dashboards().items():
        for panel in panels(dashboard):
            for target in panel.get("targets", []):
                found[f"{name} / {panel['title']} / {target['refId']}"] = target["expr"]
    return found


def queried_metrics() -> dict[str, set[str]]:
    """Metric name -> the places that query it."""
    used: dict[str, set[str]] = {}
    for where, expr in queries().items():
        for name in metric_names(expr):
            used.setdefault(name, set()).add(where)
    return used


def owner(metric: str) -> str | None:
    return next((svc for prefix, svc in OWNER_BY_PREFIX.items() if metric.startswith(prefix)), None)


_SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("_sum", "_count", "_created"),
}


def exported(exposition: str) -> dict[str, set[str]]:
    """Series names in a /metrics page -> label names seen on them. A family declared
    (# TYPE) without samples yet counts as exported with no labels known."""
    names: dict[str, set[str]] = {}
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(maxsplit=3)
            base = name.removesuffix("_total") if kind == "counter" else name
            names.setdefault(name, set())
            for suffix in _SUFFIXES.get(kind, ()):
                names.setdefault(base + suffix, set())
        elif line and not line.startswith("#"):
            series = re.match(r"([a-zA-Z_:][\w:]*)(?:\{(.*)\})?", line)
            if series:
                labels = set(re.findall(r'([a-zA-Z_]\w*)="', series.group(2) or ""))
                names.setdefault(series.group(1), set()).update(labels)
    return names


def promtool() -> str:
    """promtool on PATH or in the project's .local/bin; a clear failure otherwise."""
    local = ROOT / ".local" / "bin" / "promtool"
    found = shutil.which("promtool") or (str(local) if local.exists() else None)
    if found is None:
        raise AssertionError(
            "promtool not found on PATH or in .local/bin: install Debian's `prometheus` "
            "package (apt-get install prometheus), as .ci/run does"
        )
    return found
