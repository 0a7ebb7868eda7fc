"""Every event schema stays backward compatible with its committed snapshot, and the
committed snapshots and AsyncAPI documents are current."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from contracts.compat import breaking_changes
from contracts.snapshot import SCHEMAS, render, schema_of, snapshot_path
from contracts.snapshot import main as snapshot_main
from contracts.topics import all_models
from scripts.asyncapi import SERVICES, document, path_of

MODELS = all_models()
ROOT = Path(__file__).resolve().parents[2]


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


# --- `make contracts` refuses to rewrite a snapshot the models no longer honour ----------


def _copy_of_the_snapshots(tmp_path: Path) -> Path:
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    return schemas


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> str:
    schema = json.loads(path.read_text())
    change(schema)
    path.write_text(json.dumps(schema))
    return path.read_text()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_rewrite_is_refused_when_a_model_dropped_a_field_its_snapshot_has(
    model: type[BaseModel], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As if the model had lost `legacy_reference`: old messages carry it, the rewrite stops."""
    schemas = _copy_of_the_snapshots(tmp_path)

    def add_field(schema: dict[str, Any]) -> None:
        schema["properties"]["legacy_reference"] = {"type": "string"}

    before = _edit(snapshot_path(model, schemas), add_field)

    assert snapshot_main(["--schemas", str(schemas)]) == 1
    assert f"{model.__name__} on " in capsys.readouterr().err
    assert snapshot_path(model, schemas).read_text() == before, "nothing may be written"


def test_a_dropped_enum_value_is_refused_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from contracts.notify import SmsStatusReported

    schemas = _copy_of_the_snapshots(tmp_path)
    _edit(
        snapshot_path(SmsStatusReported, schemas),
        lambda s: s["properties"]["state"]["enum"].append("queued"),
    )
    assert snapshot_main(["--schemas", str(schemas)]) == 1
    assert (
        "SmsStatusReported on sms-status.v1: state: values ['queued'] are no longer accepted"
        in capsys.readouterr().err
    )


def test_an_incompatible_change_on_a_new_topic_version_is_written(tmp_path: Path) -> None:
    from contracts.notify import SmsStatusReported

    schemas = _copy_of_the_snapshots(tmp_path)
    _edit(
        snapshot_path(SmsStatusReported, schemas),
        lambda s: s["properties"]["state"]["enum"].append("queued"),
    )
    # the snapshot was taken when the model travelled on an older topic version
    _edit(schemas / "topics.json", lambda t: t.update(SmsStatusReported="sms-status.v0"))

    assert snapshot_main(["--schemas", str(schemas)]) == 0
    assert snapshot_path(SmsStatusReported, schemas).read_text() == render(SmsStatusReported)
    assert json.loads((schemas / "topics.json").read_text())["SmsStatusReported"] == (
        "sms-status.v1"
    )


def test_a_compatible_change_is_written(tmp_path: Path) -> None:
    """As if the model had gained the optional `gateway_message_id`."""
    from contracts.notify import SmsStatusReported

    schemas = _copy_of_the_snapshots(tmp_path)
    _edit(
        snapshot_path(SmsStatusReported, schemas),
        lambda s: s["properties"].pop("gateway_message_id"),
    )
    assert snapshot_main(["--schemas", str(schemas)]) == 0
    assert snapshot_path(SmsStatusReported, schemas).read_text() == render(SmsStatusReported)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_contracts_exits_non_zero_naming_the_field(tmp_path: Path) -> None:
    from contracts.ingest import EmployeeRecordReceived

    schemas = _copy_of_the_snapshots(tmp_path)
    _edit(
        snapshot_path(EmployeeRecordReceived, schemas),
        lambda s: s["properties"]["source"]["enum"].append("hrms"),
    )
    result = subprocess.run(
        ["make", "--no-print-directory", "contracts", f"SNAPSHOT_ARGS=--schemas {schemas}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode != 0
    assert "EmployeeRecordReceived on employee-records.v1: source: values ['hrms']" in (
        result.stderr
    )


def test_the_committed_topic_record_is_current() -> None:
    assert snapshot_main(["--check"]) == 0, "run `make contracts`"
