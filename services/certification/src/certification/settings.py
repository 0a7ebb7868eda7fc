"""Certification service settings (env prefix CERTIFICATION_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from servicekit.officers import OidcSettings
from servicekit.settings import ServiceSettings


class StorageSettings(ServiceSettings):
    """What commands that only read MongoDB need (`audit verify`): no secrets."""

    model_config = SettingsConfigDict(
        env_prefix="CERTIFICATION_", extra="ignore", populate_by_name=True
    )

    mongodb_database: str = Field(
        default="seva_certification", description="Database the service owns"
    )
    http_port: int = Field(default=8002, description="HTTP port")
    consumer_group: str = Field(default="certification", description="Kafka consumer group")


class CertificationSettings(StorageSettings, OidcSettings):
    """Officers' tokens come from the OIDC provider (`SEVA_OIDC_*`, shared with otp)."""

    model_config = SettingsConfigDict(
        env_prefix="CERTIFICATION_", extra="ignore", populate_by_name=True
    )

    max_letter_bytes: int = Field(
        default=5 * 1024 * 1024, gt=0, description="Largest accepted letter scan (PDF), bytes"
    )
    record_batch_size: int = Field(
        default=500,
        ge=1,
        description="Employee records applied together (one bulk write a batch)",
    )
    republish_interval_seconds: float = Field(
        default=30.0, gt=0, description="How often events left unpublished are retried"
    )
