"""The Deployments of deploy/k8s keep the promises of docs/deploy.md: one per compose
service, running its own package; probes on /readyz and /healthz on the port it listens
on; CPU and memory requested and limited; an unprivileged pod on a read-only root;
scraped by Prometheus; a ClusterIP Service and a disruption budget each. The OTP
autoscaler scales on CPU, and the production overlay changes only what the base defines."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.unit.deploy.k8s_manifests import (
    K8S,
    ROOT,
    SETTINGS,
    Manifest,
    config_of,
    container,
    documents,
    manifests,
)


def compose_services() -> list[str]:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    # the services built from this repository, less the development profile's fake gateway
    return [
        name
        for name, spec in compose["services"].items()
        if "build" in spec and "dev" not in spec.get("profiles", [])
    ]


def test_each_compose_service_has_a_deployment_running_its_own_package() -> None:
    services = compose_services()
    assert sorted(services) == sorted(SETTINGS)
    deployments = manifests("Deployment")
    for name in services:
        assert name in deployments, f"no Deployment for {name}"
        assert container(name)["image"] == f"seva-{name}:1.0.0"
        assert container(name)["command"] == ["python", "-m", name]


def _port(service: str, probe: Manifest) -> int:
    port = probe["httpGet"]["port"]
    named = {p["name"]: p["containerPort"] for p in container(service)["ports"]}
    return int(named.get(port, port))


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_probes_ask_readyz_and_healthz_on_the_port_the_service_listens_on(service: str) -> None:
    spec = container(service)
    listens = int(config_of(service)[f"{service.upper()}_HTTP_PORT"])
    assert [p["containerPort"] for p in spec["ports"]] == [listens]
    assert config_of(service)[f"{service.upper()}_HTTP_HOST"] == "0.0.0.0"
    assert spec["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert spec["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert spec["startupProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert _port(service, spec[probe]) == listens, f"{service} {probe}"


_UNITS = {"m": 0.001, "": 1.0, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def _quantity(value: str | int) -> float:
    match = re.fullmatch(r"([0-9.]+)(m|Ki|Mi|Gi|)", str(value))
    assert match is not None, f"unexpected quantity {value!r}"
    return float(match[1]) * _UNITS[match[2]]


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_each_container_requests_and_is_limited_in_cpu_and_memory(service: str) -> None:
    resources = container(service)["resources"]
    for resource in ("cpu", "memory"):
        request = _quantity(resources["requests"][resource])
        limit = _quantity(resources["limits"][resource])
        assert 0 < request <= limit, f"{service} {resource}"


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_each_pod_runs_unprivileged_on_a_read_only_root(service: str) -> None:
    pod = manifests("Deployment")[service]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] > 0
    assert pod["automountServiceAccountToken"] is False
    security = container(service)["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    # temporary files (ingest spools uploads) go to a writable emptyDir
    mounts = {m["mountPath"]: m["name"] for m in container(service)["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_prometheus_scrapes_each_pod_on_its_port_under_the_service_label(service: str) -> None:
    template = manifests("Deployment")[service]["spec"]["template"]
    annotations = template["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/port"] == str(container(service)["ports"][0]["containerPort"])
    assert annotations["prometheus.io/path"] == "/metrics"
    # deploy/prometheus/kubernetes.yml turns this label into the `service` label of the alerts
    assert template["metadata"]["labels"]["app.kubernetes.io/name"] == service


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_each_service_has_a_cluster_ip_service_and_a_disruption_budget(service: str) -> None:
    pod_labels = manifests("Deployment")[service]["spec"]["template"]["metadata"]["labels"]
    front = manifests("Service")[service]["spec"]
    budget = manifests("PodDisruptionBudget")[service]["spec"]
    assert front["type"] == "ClusterIP"
    assert front["selector"].items() <= pod_labels.items()
    assert budget["selector"]["matchLabels"].items() <= pod_labels.items()
    assert _port(service, {"httpGet": {"port": front["ports"][0]["targetPort"]}}) == int(
        front["ports"][0]["port"]
    )


def test_the_otp_autoscaler_scales_the_otp_deployment_on_cpu() -> None:
    autoscalers = manifests("HorizontalPodAutoscaler")
    assert list(autoscalers) == ["otp"]
    hpa = autoscalers["otp"]
    spec = hpa["spec"]
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "otp"}
    assert (spec["minReplicas"], spec["maxReplicas"]) == (2, 10)
    (metric,) = spec["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"] == {"type": "Utilization", "averageUtilization": 70}
    # a re-apply must not reset the autoscaler's count
    assert "replicas" not in manifests("Deployment")["otp"]["spec"]


def test_the_production_overlay_changes_only_what_the_base_defines() -> None:
    overlay_dir = K8S / "overlays" / "production"
    overlay: dict[str, Any] = yaml.safe_load((overlay_dir / "kustomization.yaml").read_text())
    assert overlay["resources"] == ["../../base", "kafka.yaml", "mongodb.yaml"]
    deployments = manifests("Deployment")
    assert {r["name"] for r in overlay["replicas"]} <= set(deployments) - {"otp"}
    images = {container(name)["image"].split(":")[0] for name in deployments}
    assert {image["name"] for image in overlay["images"]} == images
    for patch in overlay["patches"]:
        if "target" in patch:  # a JSON patch for every resource of a kind
            assert manifests(patch["target"]["kind"]), patch
            continue
        (target,) = documents(overlay_dir / patch["path"])
        assert target["metadata"]["name"] in manifests(target["kind"])
