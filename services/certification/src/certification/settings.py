"""Certification service settings (env prefix CERTIFICATION_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class CertificationSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="CERTIFICATION_", extra="ignore", populate_by_name=True
    )

    mongodb_database: str = Field(
        default="seva_certification", description="Database the service owns"
    )
    http_port: int = Field(default=8002, description="HTTP port")
    consumer_group: str = Field(default="certification", description="Kafka consumer group")
