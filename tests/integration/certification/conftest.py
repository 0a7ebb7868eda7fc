"""The certification app on the real Kafka and mongod, one fresh database per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from certification.app import create_app
from certification.settings import CertificationSettings
from tests.factories.certification import settings as make_settings
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
def cert_settings(
    kafka_bootstrap: str, mongodb_uri: str, pii_scan: PiiScan
) -> CertificationSettings:
    settings = make_settings(kafka_bootstrap, mongodb_uri, max_letter_bytes=4096)
    pii_scan.watch(settings.mongodb_database)
    return settings


@pytest.fixture
async def app(cert_settings: CertificationSettings) -> AsyncIterator[FastAPI]:
    application = create_app(cert_settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cert") as http:
        yield http


@pytest.fixture
def db(
    mongo: AsyncMongoClient[dict[str, Any]], cert_settings: CertificationSettings
) -> AsyncDatabase[dict[str, Any]]:
    return mongo[cert_settings.mongodb_database]
