"""Settings and secrets in deploy/k8s: every secret a service requires comes from a
Secret, and the Deployments wire exactly the secrets local runs generate; no secret value
is written in a manifest or a ConfigMap; every env name given to a service is one it
reads; the references match the Secret example, which holds only placeholders."""

from __future__ import annotations

import re

import pytest
from pydantic import AliasChoices, SecretStr
from pydantic_settings import BaseSettings

from tests.stack import DEV_SECRETS
from tests.unit.deploy.k8s_manifests import (
    K8S,
    SECRETS_EXAMPLE,
    SETTINGS,
    Manifest,
    config_of,
    container,
    documents,
    settings_class,
)


def _env_name(settings: type[BaseSettings], field: str) -> str:
    alias = settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    prefix = settings.model_config.get("env_prefix", "")
    return f"{prefix}{alias if isinstance(alias, str) else field}".upper()


def env_names(service: str) -> set[str]:
    settings = settings_class(service)
    return {_env_name(settings, field) for field in settings.model_fields}


def required_secrets(service: str) -> set[str]:
    settings = settings_class(service)
    return {
        _env_name(settings, field)
        for field, info in settings.model_fields.items()
        if info.annotation is SecretStr and info.is_required()
    }


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
    assert wired == set(DEV_SECRETS)


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
