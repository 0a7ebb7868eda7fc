"""deploy/prometheus and deploy/grafana: promtool accepts the configuration and rules, the
alerts fire on their series, and every dashboard panel queries metrics someone exports.
(That the services really export them is checked in tests/integration/ops.)"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.integration.ops.observability import (
    GRAFANA,
    OWNER_BY_PREFIX,
    PROMETHEUS,
    PROMETHEUS_BUILTINS,
    alert_rules,
    dashboards,
    exported,
    matched_labels,
    metric_names,
    owner,
    panels,
    promtool,
    queried_metrics,
    queries,
)

LOCAL_PORTS = {"ingest": 8001, "certification": 8002, "otp": 8003, "notify": 8004}


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [promtool(), *args], cwd=PROMETHEUS, capture_output=True, text=True, check=False
    )


def _yaml(path: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((PROMETHEUS / path).read_text())
    return document


def test_promtool_accepts_the_alert_rules() -> None:
    result = _promtool("check", "rules", "alerts.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_accepts_the_scrape_configuration() -> None:
    result = _promtool("check", "config", "prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_alerts_fire_on_the_series_they_watch() -> None:
    result = _promtool("test", "rules", "alerts_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_parses_every_dashboard_query(tmp_path: Path) -> None:
    """Each panel's PromQL, written as a recording rule, so promtool parses it."""
    rules = [
        {"record": f"seva:panel_{number}", "expr": expr}
        for number, (where, expr) in enumerate(sorted(queries().items()))
        if not where.startswith("alert ")
    ]
    path = tmp_path / "panels.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "panels", "rules": rules}]}))
    result = _promtool("check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_local_scrape_reaches_each_service_on_its_port() -> None:
    [job] = [j for j in _yaml("prometheus.yml")["scrape_configs"] if "static_configs" in j]
    targets = {group["labels"]["service"]: group["targets"] for group in job["static_configs"]}
    assert targets == {name: [f"127.0.0.1:{port}"] for name, port in LOCAL_PORTS.items()}
    assert job.get("metrics_path", "/metrics") == "/metrics"


def test_kubernetes_scrape_keeps_only_annotated_pods_and_names_the_service() -> None:
    document = _yaml("kubernetes.yml")
    [job] = document["scrape_configs"]
    assert job["kubernetes_sd_configs"] == [{"role": "pod"}]
    keep = job["relabel_configs"][0]
    assert keep["action"] == "keep"
    assert keep["regex"] == "true"
    assert keep["source_labels"] == ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"]
    targets = {rule.get("target_label") for rule in job["relabel_configs"]}
    assert {"__address__", "__metrics_path__", "service"} <= targets
    assert document["rule_files"] == ["alerts.yml"]


def test_an_alert_watches_each_required_condition() -> None:
    watched = {rule["alert"]: metric_names(str(rule["expr"])) for rule in alert_rules()}
    required = {
        "OTP refusal ratio": {"otp_requests_total"},
        "SMS failure ratio": {"notify_sms_outcomes_total"},
        "SMS gateway down": {"notify_gateway_requests_total"},
        "consumer lag from Kafka": {"seva_consumer_lag_messages"},
        "DLQ growth": {"seva_dead_letters_total"},
        "HTTP 5xx": {"seva_http_request_duration_seconds_count"},
        "a service down": {"up"},
        "certification backlog": {"certification_certifications"},
    }
    for condition, metrics in required.items():
        assert any(metrics <= names for names in watched.values()), condition
    for rule in alert_rules():
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"]
        assert rule["annotations"]["description"]


def test_every_dashboard_is_json_and_every_panel_queries_the_provisioned_prometheus() -> None:
    provisioning = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )
    [source] = provisioning["datasources"]
    found = dashboards()
    assert len(found) >= 3
    for name, dashboard in found.items():
        assert dashboard["uid"], name
        assert dashboard["title"], name
        for panel in panels(dashboard):
            assert panel["datasource"]["uid"] == source["uid"], (name, panel["title"])
            assert panel["targets"], (name, panel["title"])
            for target in panel["targets"]:
                assert metric_names(target["expr"]), (name, panel["title"], target["expr"])


def test_the_dashboards_show_the_funnel_refusals_sms_lag_and_certification_states() -> None:
    shown = {
        metric
        for dashboard in dashboards().values()
        for panel in panels(dashboard)
        for target in panel["targets"]
        for metric in metric_names(target["expr"])
    }
    assert {"otp_requests_total", "otp_verifications_total", "notify_sms_outcomes_total"} <= shown
    assert "otp_refusals_total" in shown
    assert {"notify_gateway_requests_total", "notify_gateway_request_duration_seconds_bucket"} <= (
        shown
    )
    assert {"seva_consumer_lag_messages", "faststream_received_messages_total"} <= shown
    assert "certification_certifications" in shown


def test_ingest_and_the_portal_api_have_dashboards() -> None:
    def shown_in(uid: str) -> set[str]:
        [board] = [b for b in dashboards().values() if b["uid"] == uid]
        return {m for p in panels(board) for t in p["targets"] for m in metric_names(t["expr"])}

    assert {
        "ingest_rows_total",
        "ingest_rejections_total",
        "ingest_batch_duration_seconds_bucket",
        "ingest_batch_duration_seconds_count",
    } <= shown_in("seva-ingest")
    assert {
        "seva_http_request_duration_seconds_count",
        "seva_http_request_duration_seconds_bucket",
    } <= shown_in("seva-portal-api")


def test_every_alert_is_tested_firing_and_resolving() -> None:
    document = _yaml("alerts_test.yml")
    cases = [case for test in document["tests"] for case in test.get("alert_rule_test", [])]
    for rule in alert_rules():
        mine = [case for case in cases if case["alertname"] == rule["alert"]]
        fired = [case for case in mine if case.get("exp_alerts")]
        quiet = [case["eval_time"] for case in mine if not case.get("exp_alerts")]
        assert fired, f"{rule['alert']} is never tested firing"
        first_firing = min(_minutes(case["eval_time"]) for case in fired)
        assert any(_minutes(t) > first_firing for t in quiet), f"{rule['alert']} never resolves"


def _minutes(value: str) -> int:
    return int(value.removesuffix("m"))


def test_the_dashboard_provider_loads_the_files_as_dashboards() -> None:
    provider = yaml.safe_load((GRAFANA / "provisioning" / "dashboards" / "seva.yml").read_text())
    [entry] = provider["providers"]
    assert entry["type"] == "file"
    assert entry["options"]["path"]


def test_every_queried_metric_has_an_owning_service_or_is_recorded_by_prometheus() -> None:
    orphans = {
        metric
        for metric in queried_metrics()
        if owner(metric) is None and metric not in PROMETHEUS_BUILTINS
    }
    assert not orphans, f"no service owns {sorted(orphans)}; add a prefix to OWNER_BY_PREFIX"


def test_every_owning_service_is_scraped() -> None:
    assert set(OWNER_BY_PREFIX.values()) <= set(LOCAL_PORTS)


def test_metric_names_are_read_from_promql_without_functions_labels_or_numbers() -> None:
    expr = (
        "histogram_quantile(0.95, sum by (app_name, le) (rate(a_seconds_bucket[5m])))"
        ' / clamp_min(sum(rate(b_total{outcome="x", reason=~"y|z"}[1h])), 1e-9) > 0.3'
        " and on (topic) max without (pod) (c) unless up == 0"
    )
    assert metric_names(expr) == {"a_seconds_bucket", "b_total", "c", "up"}
    assert matched_labels(expr) == {("b_total", "outcome"), ("b_total", "reason")}


def test_exported_names_include_families_declared_without_samples() -> None:
    page = "\n".join(
        [
            "# TYPE otp_refusals_total counter",
            "# TYPE lat_seconds histogram",
            'lat_seconds_bucket{le="0.1",app_name="otp"} 1.0',
            'otp_requests_total{outcome="refused"} 1.0',
        ]
    )
    names = exported(page)
    assert names["otp_refusals_total"] == set()
    assert {"lat_seconds_bucket", "lat_seconds_sum", "lat_seconds_count"} <= set(names)
    assert names["lat_seconds_bucket"] == {"le", "app_name"}
    assert names["otp_requests_total"] == {"outcome"}
    assert "otp_verifications_total" not in names


def test_every_query_is_collected_from_rules_and_panels() -> None:
    collected = queries()
    assert sum(where.startswith("alert ") for where in collected) == len(alert_rules())
    assert len(collected) > len(alert_rules())
