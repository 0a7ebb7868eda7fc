"""OTP service settings (env prefix OTP_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class OtpSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="OTP_", extra="ignore", populate_by_name=True)

    mongodb_database: str = Field(default="seva_otp", description="Database the OTP service owns")
    http_port: int = Field(default=8003, description="HTTP port")
    consumer_group: str = Field(default="otp", description="Kafka consumer group")
