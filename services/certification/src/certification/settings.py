"""Certification service settings (env prefix CERTIFICATION_)."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

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


class CertificationSettings(StorageSettings):
    jwt_secret: SecretStr = Field(
        validation_alias=AliasChoices("SEVA_OFFICER_JWT_SECRET", "jwt_secret"),
        description="HS256 key of officer tokens, shared with the OTP service's decision look-ups",
    )
    max_letter_bytes: int = Field(
        default=5 * 1024 * 1024, gt=0, description="Largest accepted letter scan (PDF), bytes"
    )
    republish_interval_seconds: float = Field(
        default=30.0, gt=0, description="How often events left unpublished are retried"
    )
