"""One private whole system for the fault suite (tests/stack.py), the synthetic files its
tests ingest, and the people they ask OTPs for."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pymongo import MongoClient

from ingest.generator import DefectMix, generate
from tests.stack import Stack, running_stack

# About 20,000 employee records: ~11,300 HKRNL rows and ~8,800 e-Billing employees.
EMPLOYEES, SEED = 19_500, 20261123


@dataclass
class Generated:
    root: Path
    manifest: dict[str, Any]

    def path(self, source: str) -> Path:
        return self.root / self.manifest["files"][source]

    def accepted(self) -> dict[str, dict[str, Any]]:
        """employee id -> manifest entry, for every employee a correct ingest publishes."""
        return {p["employee_id"]: p for p in self.manifest["people"] if p["accepted"]}

    def ready_people(self) -> list[dict[str, Any]]:
        """People whose OTP gate is open for the mobile and Family ID the data holds."""
        return [p for p in self.manifest["people"] if p["accepted"] and not p["defects"]]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("fault-stack"), base=700) as stack:
        yield stack


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    root = tmp_path_factory.mktemp("fault-data")
    manifest = generate(root, EMPLOYEES, SEED, DefectMix()).to_json()
    return Generated(root, manifest)


@pytest.fixture(scope="session")
def db(stack: Stack) -> Iterator[Any]:
    client: MongoClient[dict[str, Any]] = MongoClient(
        f"mongodb://127.0.0.1:{stack.mongo_port}/?directConnection=true",
        serverSelectionTimeoutMS=3000,
    )
    yield client
    client.close()
