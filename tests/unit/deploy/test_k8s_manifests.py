"""deploy/k8s loads and validates: every file a kustomization lists exists, every
manifest is listed (the Secret example excepted), and each is valid for the pinned
Kubernetes version (strict schemas: an unknown or misspelt field is an error, as broken
copies show); the base puts everything in one namespace, and what kustomize builds
validates too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.deploy.k8s_manifests import (
    K8S,
    SECRETS_EXAMPLE,
    broken_copy,
    copied,
    kustomizations,
    manifests,
    missing_files,
    patch_files,
    resource_files,
    schema_problems,
    validate,
)


def test_every_file_a_kustomization_lists_exists() -> None:
    assert kustomizations(K8S), "no kustomization under deploy/k8s"
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
    copy, edited = broken_copy(tmp_path, "base/otp", original, broken)
    problems = schema_problems(copy)
    assert len(problems) == 1, problems
    assert edited in problems[0]
    assert reported in problems[0]


def test_a_file_listed_but_missing_is_reported(tmp_path: Path) -> None:
    copy = copied(tmp_path)
    (copy / "base" / "otp" / "hpa.yaml").unlink()
    assert missing_files(copy) == ["base/otp/kustomization.yaml: resources hpa.yaml missing"]


def test_the_base_puts_everything_in_the_seva_suraksha_namespace() -> None:
    base: dict[str, Any] = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())
    assert base["namespace"] == "seva-suraksha"
    assert list(manifests("Namespace")) == ["seva-suraksha"]


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
