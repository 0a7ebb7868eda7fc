"""Notify service settings (env prefix NOTIFY_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore", populate_by_name=True)

    mongodb_database: str = Field(default="seva_notify", description="Database the service owns")
    http_port: int = Field(default=8004, description="HTTP port")
    consumer_group: str = Field(default="notify", description="Kafka consumer group")
