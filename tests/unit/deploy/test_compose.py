"""deploy/compose.yaml describes the same stack: every service builds from a Dockerfile
that exists and runs its own package, on the pinned Kafka and MongoDB images."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("ingest", "certification", "otp", "notify")  # and the console (no Kafka)


def _compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    return document


def test_each_service_builds_the_one_dockerfile_for_its_own_package() -> None:
    services = _compose()["services"]
    for name in SERVICES:
        build = services[name]["build"]
        text = (ROOT / build["dockerfile"]).read_text()
        assert build["args"]["SERVICE"] == name
        assert '--package "seva-${SERVICE}"' in text
        assert 'python -m \\"$SERVICE\\"' in text
        assert (ROOT / "services" / name / "pyproject.toml").read_text().count(
            f'name = "seva-{name}"'
        ) == 1
        assert services[name]["environment"]["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert services[name]["environment"][f"{name.upper()}_HTTP_HOST"] == "0.0.0.0"


def test_the_images_are_the_versions_run_locally() -> None:
    services = _compose()["services"]
    pom = (ROOT / "deploy" / "local" / "pom.xml").read_text()
    kafka_version = re.search(r"<kafka.version>([^<]+)<", pom)
    assert kafka_version is not None
    assert services["kafka"]["image"] == f"apache/kafka:{kafka_version.group(1)}"
    assert services["mongo"]["image"] == "mongo:6.0.5"


def test_the_fake_gateway_runs_in_the_development_profile_only_and_reports_to_notify() -> None:
    gateway = _compose()["services"]["sms-gateway"]
    assert gateway["profiles"] == ["dev"]
    assert gateway["command"] == ["python", "-m", "notify.fakegateway"]
    assert gateway["environment"]["SMS_GATEWAY_HOST"] == "0.0.0.0"
    assert gateway["environment"]["SMS_GATEWAY_CALLBACK_URL"] == (
        "http://notify:8004/v1/delivery-reports"
    )
    others = {name for name, spec in _compose()["services"].items() if spec.get("profiles")}
    assert others == {"sms-gateway"}


def test_prometheus_loads_the_rules_and_scrapes_every_service_by_its_compose_name() -> None:
    import subprocess

    from tests.integration.ops.observability import promtool

    services = _compose()["services"]
    prometheus = services["prometheus"]
    config = prometheus["command"][0].removeprefix("--config.file=/etc/prometheus/")
    assert "./prometheus:/etc/prometheus:ro" in prometheus["volumes"]
    document = yaml.safe_load((ROOT / "deploy" / "prometheus" / config).read_text())
    assert document["rule_files"] == ["alerts.yml"]
    [job] = document["scrape_configs"]
    targets = {group["labels"]["service"]: group["targets"] for group in job["static_configs"]}
    for name in SERVICES:
        port = services[name]["environment"]["PORT"]
        assert targets[name] == [f"{name}:{port}"]
    checked = subprocess.run(
        [promtool(), "check", "config", config],
        cwd=ROOT / "deploy" / "prometheus",
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_grafana_gets_the_dashboards_and_a_datasource_the_dashboards_name() -> None:
    grafana = _compose()["services"]["grafana"]
    mounts = {m.split(":")[1]: m.split(":")[0] for m in grafana["volumes"]}
    provider = yaml.safe_load(
        (ROOT / "deploy/grafana/provisioning/dashboards/seva.yml").read_text()
    )
    assert mounts[provider["providers"][0]["options"]["path"]] == "./grafana/dashboards"
    source_dir = ROOT / "deploy" / mounts["/etc/grafana/provisioning/datasources"]
    [source] = yaml.safe_load((source_dir / "prometheus.yml").read_text())["datasources"]
    assert source["url"] == "http://prometheus:9090"
    local = yaml.safe_load(
        (ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text()
    )
    assert source["uid"] == local["datasources"][0]["uid"]
    for mount in grafana["volumes"]:
        assert (ROOT / "deploy" / mount.split(":")[0]).exists(), mount
