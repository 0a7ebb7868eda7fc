"""Session fixtures: the real Kafka broker, mongod and Keycloak that integration and
end-to-end tests talk to. Started (or reused) by deploy/local/servers.py unless
KAFKA_BOOTSTRAP_SERVERS / MONGODB_URI / SEVA_OIDC_ISSUER name external servers; what this
session started is stopped when it ends."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from servicekit.settings import local_kafka, local_mongodb, local_oidc_issuer

ROOT = Path(__file__).resolve().parents[1]
SERVERS = ROOT / "deploy" / "local" / "servers.py"


@pytest.fixture(scope="session")
def servers(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    record = Path(os.environ.get("SEVA_STATE_DIR", ROOT / ".local")) / f"pytest-{os.getpid()}"
    subprocess.run([sys.executable, str(SERVERS), "up", "--record", str(record)], check=True)
    try:
        yield {
            "kafka": os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or local_kafka(),
            "mongodb": os.environ.get("MONGODB_URI") or local_mongodb(),
            "oidc_issuer": os.environ.get("SEVA_OIDC_ISSUER") or local_oidc_issuer(),
        }
    finally:
        if os.environ.get("SEVA_KEEP_SERVERS") != "1":
            subprocess.run(
                [sys.executable, str(SERVERS), "down", "--only", str(record)], check=False
            )


@pytest.fixture(scope="session")
def kafka_bootstrap(servers: dict[str, str]) -> str:
    return servers["kafka"]


@pytest.fixture(scope="session")
def oidc_issuer(servers: dict[str, str]) -> str:
    """The officers' identity provider (the local Keycloak realm unless SEVA_OIDC_ISSUER)."""
    return servers["oidc_issuer"]


@pytest.fixture(scope="session")
def mongodb_uri(servers: dict[str, str]) -> str:
    return servers["mongodb"]


@pytest.fixture(scope="session")
async def mongo(mongodb_uri: str) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri, tz_aware=True)
    yield client
    await client.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by the tier folder it lives in, so `-m unit` etc. select tiers."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT / "tests").parts
        if parts and parts[0] in {
            "unit",
            "contract",
            "integration",
            "e2e",
            "fault",
            "fuzz",
            "browser",
        }:
            item.add_marker(getattr(pytest.mark, parts[0]))
