"""Ingest service settings (env prefix INGEST_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class IngestSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INGEST_", extra="ignore", populate_by_name=True)

    mongodb_database: str = Field(default="seva_ingest", description="Database the service owns")
    http_port: int = Field(default=8001, description="HTTP port")
    consumer_group: str = Field(default="ingest", description="Kafka consumer group")
