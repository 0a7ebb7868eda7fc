"""OTP service settings (env prefix OTP_). Secrets have no defaults."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from servicekit.officers import OidcSettings
from servicekit.settings import ServiceSettings


class OtpSettings(ServiceSettings, OidcSettings):
    model_config = SettingsConfigDict(env_prefix="OTP_", extra="ignore", populate_by_name=True)

    mongodb_database: str = Field(default="seva_otp", description="Database the OTP service owns")
    http_port: int = Field(default=8003, description="HTTP port")
    consumer_group: str = Field(default="otp", description="Kafka consumer group")
    http_workers: int = Field(
        default=1,
        ge=1,
        description="HTTP worker processes; each also runs the Kafka consumers (same groups)",
    )

    hmac_key: SecretStr = Field(
        description="Server secret keying the OTP codes and hashes and the lookup keys of "
        "mobiles and Family IDs"
    )
    portal_token: SecretStr = Field(description="Bearer token of the HKCL portal (machine client)")
    sms_seal_key: SecretStr = Field(
        validation_alias=AliasChoices("SEVA_SMS_SEAL_KEY", "sms_seal_key"),
        description="Fernet key sealing OTPs for notify (shared with notify only)",
    )

    code_digits: int = Field(default=6, ge=6, le=8, description="Digits in an OTP")
    code_ttl_seconds: int = Field(default=600, ge=60, description="How long an OTP is valid")
    max_attempts: int = Field(default=5, ge=1, description="Wrong codes that lock a challenge")
    employee_failures_to_lock: int = Field(
        default=5, ge=1, description="Wrong codes across challenges that lock an employee"
    )
    lock_seconds: int = Field(default=900, description="First employee lock; doubles each time")
    max_lock_seconds: int = Field(default=86_400, description="Longest employee lock")
    sends_per_employee_per_hour: int = Field(default=5, description="SMS sends per employee/hour")
    sends_per_mobile_per_hour: int = Field(default=5, description="SMS sends per mobile/hour")
    record_batch_size: int = Field(
        default=500,
        ge=1,
        description="Employee records applied together (one read and one bulk write a batch)",
    )
    send_cooldown_seconds: int = Field(
        default=30, ge=0, description="Least time between two sends to one employee"
    )
    refusals_per_hour: int = Field(
        default=10,
        ge=1,
        description="Identity refusals (not_found, family_id_mismatch, mobile_mismatch) per "
        "Family ID and per mobile typed, per hour; 429 beyond",
    )
    refusal_hints_per_hour: int = Field(
        default=1,
        ge=0,
        description="Refusals of a Family ID per hour that carry the masked mobile hint",
    )
    requests_per_client_per_minute: int = Field(
        default=6000, description="OTP requests per portal client per minute"
    )
    status_batch_size: int = Field(
        default=200,
        ge=1,
        description="SMS delivery statuses applied together (one bulk write a batch)",
    )
    status_linger_ms: int = Field(
        default=250,
        ge=0,
        le=5000,
        description="A fetch of delivery statuses waits at the broker up to this long for 64 KiB"
        " of them (0: answered once one is there); an idle topic is fetched this often",
    )
