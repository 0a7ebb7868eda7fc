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
