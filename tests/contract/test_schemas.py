"""Every event schema stays backward compatible with its committed snapshot, and the
committed snapshots and AsyncAPI documents are current."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from pydantic import BaseModel

from contracts.compat import breaking_changes
from contracts.snapshot import render, schema_of, snapshot_path
from contracts.topics import all_models
from scripts.asyncapi import SERVICES, document, path_of

MODELS = all_models()


def _snapshot(model: type[BaseModel]) -> dict[str, Any]:
    path = snapshot_path(model)
    assert path.exists(), f"no snapshot for {model.__name__}: run `make contracts`"
    snapshot: dict[str, Any] = json.loads(path.read_text())
    return snapshot


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_model_can_read_what_its_committed_schema_allowed(model: type[BaseModel]) -> None:
    assert breaking_changes(_snapshot(model), schema_of(model)) == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_committed_snapshot_is_current(model: type[BaseModel]) -> None:
    assert snapshot_path(model).read_text() == render(model), "run `make contracts`"


@pytest.mark.parametrize("service", SERVICES)
def test_each_committed_asyncapi_document_is_current(service: str) -> None:
    assert path_of(service).exists(), "run `make contracts`"
    assert path_of(service).read_text() == document(service), "run `make contracts`"


# --- the checker itself, on deliberate changes to a copy of a real snapshot ----------


def _record_schema() -> dict[str, Any]:
    from contracts.ingest import EmployeeRecordReceived

    return _snapshot(EmployeeRecordReceived)


def test_removing_a_field_is_refused() -> None:
    old = _record_schema()
    new = copy.deepcopy(old)
    del new["properties"]["district"]
    assert breaking_changes(old, new) == ["district: field removed"]


def test_narrowing_a_type_is_refused() -> None:
    old = _record_schema()
    new = copy.deepcopy(old)
    new["properties"]["monthly_remuneration"] = {"type": "integer", "minimum": 0}
    assert breaking_changes(old, new) == ["monthly_remuneration: type null is no longer accepted"]


def test_dropping_an_enum_value_is_refused() -> None:
    old = _record_schema()
    new = copy.deepcopy(old)
    new["properties"]["source"]["enum"] = ["hkrnl"]
    assert breaking_changes(old, new) == ["source: values ['ebilling'] are no longer accepted"]


def test_making_an_optional_field_required_is_refused() -> None:
    old = _record_schema()
    new = copy.deepcopy(old)
    new["required"] = [*new["required"], "treasury"]
    assert breaking_changes(old, new) == ["treasury: optional field made required"]


def test_a_new_required_field_is_refused_and_a_new_optional_one_allowed() -> None:
    old = _record_schema()
    required = copy.deepcopy(old)
    required["properties"]["pay_scale"] = {"type": "string"}
    required["required"] = [*required["required"], "pay_scale"]
    optional = copy.deepcopy(old)
    optional["properties"]["pay_scale"] = {"type": "string", "default": ""}
    assert breaking_changes(old, required) == [
        "pay_scale: new required field (old messages lack it)"
    ]
    assert breaking_changes(old, optional) == []


def test_a_change_inside_a_nested_model_is_found() -> None:
    old = _record_schema()
    new = copy.deepcopy(old)
    del new["$defs"]["ServicePeriod"]["properties"]["days_paid"]
    assert breaking_changes(old, new) == ["service_periods[].days_paid: field removed"]


def test_the_readme_settings_table_is_current() -> None:
    from scripts.settings_table import README, _readme_with, table

    assert README.read_text() == _readme_with(table()), "run `make contracts`"
