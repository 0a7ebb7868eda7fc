"""One private whole system for the fault suite (tests/stack.py), the synthetic files its
tests ingest, and the people they ask OTPs for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pymongo import MongoClient

from ingest.generator import DefectMix, generate
from tests.fault.helpers import Generated, upload
from tests.stack import Stack, running_stack, wait_until

# About 20,000 employee records: ~11,300 HKRNL rows and ~8,800 e-Billing employees.
EMPLOYEES, SEED = 19_500, 20261123


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


@pytest.fixture(scope="session")
def ingested(stack: Stack, generated: Generated, db: Any) -> Generated:
    """The generated files are in the OTP view (uploaded here unless a test already did)."""
    views = db["seva_otp"]["views"]
    if views.count_documents({}) < len(generated.accepted()):
        for source in ("master", "hkrnl", "ebilling"):
            upload(stack, generated, source)
    wait_until(
        "the view to hold every employee",
        lambda: views.count_documents({}) >= len(generated.accepted()),
        600,
    )
    return generated
