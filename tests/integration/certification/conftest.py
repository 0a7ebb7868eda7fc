"""The certification app on the real Kafka, mongod and identity provider, one fresh
database per test. Its consumers start at the end of the source-data topics; the
employees a test's submissions name are put in the service's directory before each
request (tests.factories.certification.PENDING), so the scope rules have data to go by."""

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
from contracts import topics
from tests.factories.certification import seed
from tests.factories.certification import settings as make_settings
from tests.helpers import start_group_at_end

SOURCE_TOPICS = (topics.EMPLOYEE_RECORDS, topics.MASTER_DATA)


async def start_at_end(settings: CertificationSettings) -> None:
    for topic in SOURCE_TOPICS:
        await start_group_at_end(
            settings.kafka_bootstrap_servers, f"{settings.consumer_group}.{topic}", topic
        )


@pytest.fixture
async def cert_settings(
    kafka_bootstrap: str, mongodb_uri: str, oidc_issuer: str
) -> CertificationSettings:
    settings = make_settings(
        kafka_bootstrap, mongodb_uri, max_letter_bytes=4096, oidc_issuer=oidc_issuer
    )
    await start_at_end(settings)
    return settings


@pytest.fixture
async def app(cert_settings: CertificationSettings) -> AsyncIterator[FastAPI]:
    application = create_app(cert_settings)
    async with application.router.lifespan_context(application):
        yield application


def seeding(app: FastAPI) -> Any:
    """A request hook putting the employees of pending submissions in the source data."""

    async def hook(_: httpx.Request) -> None:
        await seed(app)

    return hook


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://cert", event_hooks={"request": [seeding(app)]}
    ) as http:
        yield http


@pytest.fixture
def db(
    mongo: AsyncMongoClient[dict[str, Any]], cert_settings: CertificationSettings
) -> AsyncDatabase[dict[str, Any]]:
    return mongo[cert_settings.mongodb_database]
