"""deploy/k8s: every manifest the kustomizations list exists and is valid for the pinned
Kubernetes version (strict schemas: an unknown or misspelt field is an error), and the
Deployments keep the promises of docs/deploy.md: probes on /readyz and /healthz, resources,
a locked-down security context, secrets only from Secrets, the OTP autoscaler."""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from pydantic import AliasChoices, SecretStr
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[3]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.30"
# Shows the shape of the Secrets; deliberately listed by no kustomization.
SECRETS_EXAMPLE = Path("base/secrets.example.yaml")
SETTINGS = {
    "ingest": "ingest.settings:IngestSettings",
    "certification": "certification.settings:CertificationSettings",
    "otp": "otp.settings:OtpSettings",
    "notify": "notify.settings:NotifySettings",
    "console": "console.settings:ConsoleSettings",
}

Manifest = dict[str, Any]


# ---- loading ---------------------------------------------------------------------------


def _kustomizations(root: Path) -> list[Path]:
    return sorted(root.rglob("kustomization.yaml"))


def _listed(kustomization: Path) -> Iterator[tuple[str, Path]]:
    """(field, path) of every file or folder a kustomization names."""
    spec: dict[str, Any] = yaml.safe_load(kustomization.read_text())
    for entry in spec.get("resources", []):
        yield "resources", kustomization.parent / entry
    for patch in spec.get("patches", []):
        if "path" in patch:
            yield "patches", kustomization.parent / patch["path"]


def missing_files(root: Path) -> list[str]:
    """What a kustomization lists that is not there (a folder needs its kustomization)."""
    problems = []
    for kustomization in _kustomizations(root):
        for field, path in _listed(kustomization):
            target = path / "kustomization.yaml" if path.is_dir() else path
            if not target.is_file():
                problems.append(f"{kustomization.relative_to(root)}: {field} {path.name} missing")
    return problems


def resource_files(root: Path) -> list[Path]:
    """The manifest files the kustomizations list as resources (folders are followed
    through their own kustomization.yaml, which `_kustomizations` also finds)."""
    return sorted(
        path.resolve()
        for kustomization in _kustomizations(root)
        for field, path in _listed(kustomization)
        if field == "resources" and path.is_file()
    )


def patch_files(root: Path) -> list[Path]:
    return sorted(
        path.resolve()
        for kustomization in _kustomizations(root)
        for field, path in _listed(kustomization)
        if field == "patches" and path.is_file()
    )


def documents(path: Path) -> list[Manifest]:
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


# The operators' resources, against the CRD schemas vendored in deploy/k8s/crds/ (where
# each comes from is in its $comment; docs/deploy.md names the operator versions).
CRD_SCHEMAS = {
    ("kafka.strimzi.io/v1beta2", "Kafka"): "strimzi-0.48.0-kafka.json",
    ("kafka.strimzi.io/v1beta2", "KafkaNodePool"): "strimzi-0.48.0-kafkanodepool.json",
    ("mongodbcommunity.mongodb.com/v1", "MongoDBCommunity"): (
        "mongodb-community-0.13.0-mongodbcommunity.json"
    ),
}


def validate(document: Manifest, root: Path = K8S) -> None:
    """Kubernetes' own kinds by kubernetes-validate (strict), the operators' by their CRD."""
    crd = CRD_SCHEMAS.get((document.get("apiVersion", ""), document.get("kind", "")))
    if crd is None:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
        return
    schema = json.loads((root / "crds" / crd).read_text())
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft7Validator(schema).iter_errors(document)
    )
    if error is not None:
        raise kubernetes_validate.ValidationError(error, crd)


def schema_problems(root: Path) -> list[str]:
    """Every listed manifest (and the Secret example) against the Kubernetes schemas."""
    problems = []
    for path in [*resource_files(root), root / SECRETS_EXAMPLE]:
        for document in documents(path):
            try:
                validate(document, root)
            except kubernetes_validate.ValidationError as error:
                where = "/".join(str(part) for part in error.path)
                problems.append(f"{path.relative_to(root)}: {where}: {error.message}")
            except kubernetes_validate.SchemaNotFoundError as error:
                problems.append(f"{path.relative_to(root)}: {error.message}")
    return problems


def manifests(kind: str, root: Path = K8S) -> dict[str, Manifest]:
    """The listed manifests of one kind, by name."""
    found = {}
    for path in resource_files(root):
        for document in documents(path):
            if document["kind"] == kind:
                found[document["metadata"]["name"]] = document
    return found


def container(name: str) -> Manifest:
    deployment = manifests("Deployment")[name]
    containers: list[Manifest] = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{name}: one container per pod"
    return containers[0]


def config_of(name: str) -> dict[str, str]:
    """Every env value the service's ConfigMaps (envFrom) give it."""
    config_maps = manifests("ConfigMap")
    values: dict[str, str] = {}
    for source in container(name).get("envFrom", []):
        values.update(config_maps[source["configMapRef"]["name"]]["data"])
    return values


# ---- what the services read ----------------------------------------------------------------


def _settings(service: str) -> type[BaseSettings]:
    module, name = SETTINGS[service].split(":")
    settings: type[BaseSettings] = getattr(importlib.import_module(module), name)
    return settings


def _env_name(settings: type[BaseSettings], field: str) -> str:
    alias = settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    prefix = settings.model_config.get("env_prefix", "")
    return f"{prefix}{alias if isinstance(alias, str) else field}".upper()


def env_names(service: str) -> set[str]:
    settings = _settings(service)
    return {_env_name(settings, field) for field in settings.model_fields}


def required_secrets(service: str) -> set[str]:
    settings = _settings(service)
    return {
        _env_name(settings, field)
        for field, info in settings.model_fields.items()
        if info.annotation is SecretStr and info.is_required()
    }


def dev_secrets() -> set[str]:
    spec = importlib.util.spec_from_file_location(
        "local_services", ROOT / "deploy/local/services.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.DEV_SECRETS)


def compose_services() -> list[str]:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    # the services built from this repository, less the development profile's fake gateway
    return [
        name
        for name, spec in compose["services"].items()
        if "build" in spec and "dev" not in spec.get("profiles", [])
    ]


# ---- the manifests load and validate -------------------------------------------------------


def test_every_file_a_kustomization_lists_exists() -> None:
    assert _kustomizations(K8S), "no kustomization under deploy/k8s"
    assert missing_files(K8S) == []


def test_every_manifest_under_deploy_k8s_is_listed_except_the_secret_example() -> None:
    on_disk = {path.resolve() for path in K8S.rglob("*.yaml") if path.name != "kustomization.yaml"}
    listed = {*resource_files(K8S), *patch_files(K8S), (K8S / SECRETS_EXAMPLE).resolve()}
    assert on_disk == listed
    assert (K8S / SECRETS_EXAMPLE).resolve() not in resource_files(K8S)


def test_every_manifest_is_valid_for_the_pinned_kubernetes_version() -> None:
    assert len(resource_files(K8S)) >= 4 * 4
    assert schema_problems(K8S) == []


@pytest.mark.parametrize(
    ("original", "broken", "reported"),
    [
        ("readinessProbe:", "readinesProbe:", "readinesProbe"),  # misspelt field
        ("containerPort: 8003", "containerPort: http", "'http' is not of type 'integer'"),
        ("minReplicas: 2", "minReplica: 2", "minReplica"),
    ],
)
def test_a_broken_copy_of_the_manifests_fails_validation(
    tmp_path: Path, original: str, broken: str, reported: str
) -> None:
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    edited = [
        path for path in (copy / "base" / "otp").glob("*.yaml") if original in path.read_text()
    ]
    assert len(edited) == 1
    edited[0].write_text(edited[0].read_text().replace(original, broken))
    problems = schema_problems(copy)
    assert len(problems) == 1
    assert f"base/otp/{edited[0].name}" in problems[0]
    assert reported in problems[0]


def test_a_file_listed_but_missing_is_reported(tmp_path: Path) -> None:
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    (copy / "base" / "otp" / "hpa.yaml").unlink()
    assert missing_files(copy) == ["base/otp/kustomization.yaml: resources hpa.yaml missing"]


def test_the_base_puts_everything_in_the_seva_suraksha_namespace() -> None:
    base: dict[str, Any] = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())
    assert base["namespace"] == "seva-suraksha"
    assert list(manifests("Namespace")) == ["seva-suraksha"]


# ---- each service: deployment, probes, resources, security ---------------------------------


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


# ---- settings and secrets ------------------------------------------------------------------


def _secret_refs(service: str) -> dict[str, Manifest]:
    return {
        entry["name"]: entry["valueFrom"]["secretKeyRef"]
        for entry in container(service).get("env", [])
        if "secretKeyRef" in entry.get("valueFrom", {})
    }


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_every_secret_a_service_requires_comes_from_a_secret(service: str) -> None:
    assert set(_secret_refs(service)) == required_secrets(service)


def test_the_deployments_wire_exactly_the_secrets_local_runs_generate() -> None:
    wired = {name for service in SETTINGS for name in _secret_refs(service)}
    assert wired == dev_secrets()


_SECRETISH = re.compile(r"TOKEN|KEY|SECRET|PASSWORD", re.IGNORECASE)


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_no_secret_value_is_written_in_a_manifest(service: str) -> None:
    for entry in container(service).get("env", []):
        assert "value" not in entry, f"{service}: literal env {entry['name']}"
    for name, value in config_of(service).items():
        assert not _SECRETISH.search(name), f"{service}: {name} in a ConfigMap"
        assert "@" not in value, f"{service}: {name} carries credentials"


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_every_env_name_given_to_a_service_is_one_it_reads(service: str) -> None:
    given = set(config_of(service)) | {e["name"] for e in container(service).get("env", [])}
    assert given - env_names(service) == set()


def test_secret_references_match_the_example_which_holds_only_placeholders() -> None:
    example = {
        secret["metadata"]["name"]: secret["stringData"]
        for secret in documents(K8S / SECRETS_EXAMPLE)
    }
    referenced = {
        (ref["name"], ref["key"]) for service in SETTINGS for ref in _secret_refs(service).values()
    }
    assert referenced == {(name, key) for name, data in example.items() for key in data}
    assert {value for data in example.values() for value in data.values()} == {"REPLACE_ME"}


# ---- scaling -------------------------------------------------------------------------------


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


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize("kustomization", ["base", "overlays/production"])
def test_kustomize_builds_manifests_that_validate(kustomization: str) -> None:
    built = subprocess.run(
        ["kubectl", "kustomize", str(K8S / kustomization)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    built_documents = [d for d in yaml.safe_load_all(built) if d]
    assert {
        d["metadata"].get("namespace") for d in built_documents if d["kind"] != "Namespace"
    } == {"seva-suraksha"}
    for document in built_documents:
        validate(document)


# ---- the production overlay's Kafka (Strimzi) and MongoDB (Community Operator) ----------


def _one(kind: str) -> Manifest:
    (found,) = manifests(kind).values()
    return found


def test_kafka_runs_in_kraft_mode_on_a_node_pool_of_controllers_and_brokers() -> None:
    kafka, pool = _one("Kafka"), _one("KafkaNodePool")
    assert kafka["metadata"]["annotations"] == {
        "strimzi.io/node-pools": "enabled",
        "strimzi.io/kraft": "enabled",
    }
    assert "zookeeper" not in kafka["spec"]
    assert "replicas" not in kafka["spec"]["kafka"]  # the node pool says how many
    assert pool["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
    assert sorted(pool["spec"]["roles"]) == ["broker", "controller"]
    assert pool["spec"]["replicas"] == 3
    config = kafka["spec"]["kafka"]["config"]
    assert config["min.insync.replicas"] == 2
    assert config["default.replication.factor"] == 3
    pom = (ROOT / "deploy" / "local" / "pom.xml").read_text()
    local = re.search(r"<kafka.version>(\d+\.\d+)\.", pom)
    assert local is not None
    assert kafka["spec"]["kafka"]["version"].startswith(local.group(1) + ".")


def test_the_services_use_the_bootstrap_service_strimzi_creates() -> None:
    kafka = _one("Kafka")
    [listener] = kafka["spec"]["kafka"]["listeners"]
    patch = documents(K8S / "overlays" / "production" / "shared-config.yaml")[0]
    expected = f"{kafka['metadata']['name']}-kafka-bootstrap:{listener['port']}"
    assert patch["data"]["KAFKA_BOOTSTRAP_SERVERS"] == expected


def test_mongodb_is_a_three_member_replica_set_the_services_reach_with_the_operator_s_uri() -> None:
    mongo = _one("MongoDBCommunity")
    spec = mongo["spec"]
    assert (spec["type"], spec["members"]) == ("ReplicaSet", 3)
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    assert compose["services"]["mongo"]["image"] == f"mongo:{spec['version']}"
    [user] = spec["users"]
    databases = {  # of the services that own a database (the console holds no data)
        fields["mongodb_database"].default
        for service in SETTINGS
        if "mongodb_database" in (fields := _settings(service).model_fields)
    }
    assert {role["db"] for role in user["roles"] if role["name"] == "readWrite"} == databases
    assert set(user["passwordSecretRef"]) == {"name"}  # a Secret's name, never a password
    [op] = yaml.safe_load((K8S / "overlays" / "production" / "mongodb-uri.yaml").read_text())
    reference = op["value"]["valueFrom"]["secretKeyRef"]
    assert op["value"]["name"] == "MONGODB_URI"
    # the operator names the Secret <resource>-<auth database>-<user>
    assert reference == {
        "name": f"{mongo['metadata']['name']}-{user['db']}-{user['name']}",
        "key": "connectionString.standard",
    }
    patch = documents(K8S / "overlays" / "production" / "shared-config.yaml")[0]
    assert patch["data"]["MONGODB_URI"] is None  # no credential-free URI left beside it


@pytest.mark.parametrize(
    ("original", "broken", "reported"),
    [
        ("kraftMetadata: shared", "kraftMetadata: separate", "'separate' is not one of"),
        ("        tls: false", "        tsl: false", "tls"),
        ("  members: 3", "  member: 3", "member"),
        ("  type: ReplicaSet", "  type: Sharded", "'Sharded' is not one of"),
    ],
)
def test_the_operator_resources_are_checked_against_their_crd_schemas(
    tmp_path: Path, original: str, broken: str, reported: str
) -> None:
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    production = copy / "overlays" / "production"
    [edited] = [p for p in production.glob("*.yaml") if original in p.read_text()]
    edited.write_text(edited.read_text().replace(original, broken))
    problems = schema_problems(copy)
    assert len(problems) == 1, problems
    assert f"overlays/production/{edited.name}" in problems[0]
    assert reported in problems[0]


def test_docs_name_the_operator_versions_whose_schemas_are_vendored() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text()
    assert "Strimzi 0.48" in text
    assert "MongoDB Community Operator 0.13" in text
    for name in CRD_SCHEMAS.values():
        schema = json.loads((K8S / "crds" / name).read_text())
        assert "From " in schema["$comment"]
