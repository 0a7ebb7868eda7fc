"""deploy/k8s read as the manifest tests read it: the files each kustomization lists,
their documents by kind, a Deployment's one container and the ConfigMap values it gets,
validation against the pinned Kubernetes version's schemas (the operators' resources
against their vendored CRD schemas), and the settings class of each service."""

from __future__ import annotations

import importlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml
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


def kustomizations(root: Path) -> list[Path]:
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
    for kustomization in kustomizations(root):
        for field, path in _listed(kustomization):
            target = path / "kustomization.yaml" if path.is_dir() else path
            if not target.is_file():
                problems.append(f"{kustomization.relative_to(root)}: {field} {path.name} missing")
    return problems


def listed_files(root: Path, kind: str) -> list[Path]:
    """The files the kustomizations list under `kind` ("resources", "patches"); folders
    are followed through their own kustomization.yaml, which `kustomizations` also finds."""
    return sorted(
        path.resolve()
        for kustomization in kustomizations(root)
        for field, path in _listed(kustomization)
        if field == kind and path.is_file()
    )


def resource_files(root: Path) -> list[Path]:
    return listed_files(root, "resources")


def patch_files(root: Path) -> list[Path]:
    return listed_files(root, "patches")


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


def copied(tmp_path: Path) -> Path:
    """A copy of deploy/k8s to break."""
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    return copy


def broken_copy(tmp_path: Path, folder: str, original: str, broken: str) -> tuple[Path, str]:
    """A copy of deploy/k8s with `original` replaced by `broken` in the one file of `folder`
    that holds it; the copy's root, and that file's path within it."""
    copy = copied(tmp_path)
    [edited] = [p for p in (copy / folder).glob("*.yaml") if original in p.read_text()]
    edited.write_text(edited.read_text().replace(original, broken))
    return copy, str(edited.relative_to(copy))


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


def settings_class(service: str) -> type[BaseSettings]:
    module, name = SETTINGS[service].split(":")
    settings: type[BaseSettings] = getattr(importlib.import_module(module), name)
    return settings
