"""The ingest app run through its lifespan against the real Kafka and MongoDB, reached
over httpx's ASGI transport; one database per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from ingest.app import create_app
from ingest.settings import IngestSettings
from tests.factories.ingest import ingest_settings
from tests.helpers import serving
from tests.pii_scan import PiiScan


@pytest.fixture(scope="module")
async def pii_scan(
    kafka_bootstrap: str, mongo: AsyncMongoClient[dict[str, Any]]
) -> AsyncIterator[PiiScan]:
    """After the module's tests: no Aadhaar-like number anywhere, and no mobile or Family
    ID in a log or key, wherever they left something (tests/pii_scan.py)."""
    scan = PiiScan(kafka_bootstrap, mongo)
    scan.start()
    yield scan
    await scan.finish()


@pytest.fixture
def settings(kafka_bootstrap: str, mongodb_uri: str, pii_scan: PiiScan) -> IngestSettings:
    settings = ingest_settings(kafka_bootstrap, mongodb_uri)
    pii_scan.watch(settings.mongodb_database)
    return settings


@pytest.fixture
async def client(settings: IngestSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with serving(app, "http://ingest", timeout=600) as http:
        yield http


@pytest.fixture
def db(
    settings: IngestSettings, mongo: AsyncMongoClient[dict[str, Any]]
) -> AsyncDatabase[dict[str, Any]]:
    return mongo[settings.mongodb_database]
