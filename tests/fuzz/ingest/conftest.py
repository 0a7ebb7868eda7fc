"""The ingest app running on the real broker and mongod for the hostile-source tests,
with the push limit they test against."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from ingest.app import create_app
from ingest.settings import IngestSettings
from tests.factories.ingest import ingest_settings
from tests.fuzz.ingest.hostile import PUSH_LIMIT
from tests.helpers import serving


@pytest.fixture
async def ingest(
    kafka_bootstrap: str, mongodb_uri: str, mongo: AsyncMongoClient[dict[str, Any]]
) -> AsyncIterator[tuple[httpx.AsyncClient, IngestSettings, Any]]:
    config = ingest_settings(kafka_bootstrap, mongodb_uri, max_push_bytes=PUSH_LIMIT)
    async with serving(create_app(config), "http://ingest", timeout=120) as client:
        yield client, config, mongo[config.mongodb_database]
