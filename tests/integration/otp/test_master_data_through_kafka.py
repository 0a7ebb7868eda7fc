"""A contract event goes through the real broker into the OTP service's MongoDB."""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient

from contracts import topics
from otp.app import create_app
from tests.factories import master_data
from tests.helpers import eventually, produce
from tests.integration.otp.conftest import otp_settings, start_at_end


async def test_a_published_master_data_event_is_stored_by_the_otp_service(
    kafka_bootstrap: str, mongodb_uri: str, mongo: AsyncMongoClient[dict[str, Any]]
) -> None:
    settings = otp_settings(kafka_bootstrap, mongodb_uri)
    await start_at_end(settings)
    app = create_app(settings)
    event = master_data(name="District Treasury Office, Hisar")
    collection = mongo[settings.mongodb_database]["master_data"]

    async with app.router.lifespan_context(app):
        await produce(
            kafka_bootstrap,
            topics.MASTER_DATA,
            event.model_dump_json().encode(),
            key=event.partition_key.encode(),
        )
        stored = await eventually(lambda: collection.find_one({"_id": f"ddo:{event.code}"}))

    assert stored["name"] == "District Treasury Office, Hisar"
    assert stored["source_version"] == event.source_version
