"""Notify service settings (env prefix NOTIFY_). Secrets have no defaults."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings

DLT_TEMPLATE_EN = (
    "{#var#} is your OTP for registration on the Haryana Security of Service portal. "
    "Valid for {#var#} minutes. Do not share it. -HRYGOV"
)
DLT_TEMPLATE_HI = (
    "सेवा सुरक्षा पोर्टल पंजीकरण हेतु आपका ओटीपी {#var#} है, {#var#} मिनट तक मान्य। किसी को न बताएं -HRYGOV"
)


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore", populate_by_name=True)

    mongodb_database: str = Field(default="seva_notify", description="Database the service owns")
    http_port: int = Field(default=8004, description="HTTP port")
    consumer_group: str = Field(default="notify", description="Kafka consumer group")

    sms_seal_key: SecretStr = Field(
        validation_alias=AliasChoices("SEVA_SMS_SEAL_KEY", "sms_seal_key"),
        description="Fernet key that opens OTPs sealed by the OTP service",
    )
    gateway: Literal["http", "recording"] = Field(
        default="http", description="SMS gateway adapter: a real HTTP gateway, or record only"
    )
    gateway_url: str = Field(
        default="http://127.0.0.1:8005/api/send", description="SMS gateway endpoint"
    )
    gateway_method: Literal["GET", "POST"] = Field(default="POST", description="HTTP method")
    gateway_username: str = Field(default="hrygov", description="Gateway account")
    gateway_password: SecretStr = Field(description="Gateway password")
    gateway_timeout_seconds: float = Field(default=5.0, description="Per-attempt timeout")
    gateway_max_connections: int = Field(
        default=16,
        ge=1,
        description="Calls in flight to one gateway at most (its connection limit); as many"
        " connections are kept open between calls",
    )
    gateway_keepalive_seconds: float = Field(
        default=60.0, gt=0, description="An idle gateway connection is kept open this long"
    )
    sender_id: str = Field(default="HRYGOV", min_length=6, max_length=6, description="DLT header")
    dlt_entity_id: str = Field(default="1101000000000000001", description="DLT principal entity id")
    dlt_template_id_en: str = Field(default="1107000000000000001", description="DLT template (en)")
    dlt_template_id_hi: str = Field(default="1107000000000000002", description="DLT template (hi)")
    template_en: str = Field(default=DLT_TEMPLATE_EN, description="Registered DLT text (en)")
    template_hi: str = Field(default=DLT_TEMPLATE_HI, description="Registered DLT text (hi)")
    max_segments: int = Field(default=2, ge=1, description="SMS segments a message may use")
    retry_attempts: int = Field(
        default=4, ge=1, description="Quick gateway attempts before a send is scheduled for later"
    )
    send_batch_size: int = Field(
        default=64,
        ge=1,
        description="SMS requests taken at once and sent concurrently (in order per challenge)",
    )
    send_linger_ms: int = Field(
        default=50,
        ge=0,
        le=5000,
        description="A fetch of SMS requests waits at the broker up to this long for a batch's"
        " worth (32 KiB) of them (0: answered once one is there); an idle topic is fetched this"
        " often",
    )
    retry_base_seconds: float = Field(default=0.2, ge=0, description="First backoff")
    retry_cap_seconds: float = Field(default=5.0, ge=0, description="Longest backoff")
    redelivery_base_seconds: float = Field(
        default=2.0, gt=0, description="First pause of a scheduled retry (doubles, jittered)"
    )
    redelivery_cap_seconds: float = Field(
        default=30.0, gt=0, description="Longest pause between scheduled retries"
    )
    redelivery_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often scheduled retries that are due are looked for"
    )
    redelivery_lease_seconds: float = Field(
        default=30.0, gt=0, description="A retry taken by a process that then died is retaken after"
    )
    circuit_failures: int = Field(
        default=5, ge=1, description="Failed calls in a row that open a gateway's circuit"
    )
    circuit_open_seconds: float = Field(
        default=15.0, gt=0, description="How long an open circuit sends nothing to its gateway"
    )
    failover_gateway_url: str | None = Field(
        default=None, description="Second SMS gateway, used while the first one's circuit is open"
    )
    failover_gateway_method: Literal["GET", "POST"] = Field(
        default="POST", description="HTTP method of the failover gateway"
    )
    failover_gateway_username: str | None = Field(
        default=None, description="Failover gateway account"
    )
    failover_gateway_password: SecretStr | None = Field(
        default=None, description="Failover gateway password (required with its URL)"
    )
    failover_sender_id: str | None = Field(
        default=None, min_length=6, max_length=6, description="Failover DLT header"
    )
    failover_dlt_entity_id: str | None = Field(
        default=None, description="Failover DLT principal entity id"
    )
    failover_dlt_template_id_en: str | None = Field(
        default=None, description="Failover DLT template (en)"
    )
    failover_dlt_template_id_hi: str | None = Field(
        default=None, description="Failover DLT template (hi)"
    )

    delivery_report_token: SecretStr = Field(
        description="Shared secret the gateway sends with delivery reports"
    )

    @model_validator(mode="after")
    def _failover_is_complete(self) -> NotifySettings:
        if self.failover_gateway_url is None:
            return self
        needed = (
            "failover_gateway_username",
            "failover_gateway_password",
            "failover_sender_id",
            "failover_dlt_entity_id",
            "failover_dlt_template_id_en",
            "failover_dlt_template_id_hi",
        )
        if missing := [name for name in needed if getattr(self, name) is None]:
            names = ", ".join(f"NOTIFY_{name.upper()}" for name in missing)
            raise ValueError(f"NOTIFY_FAILOVER_GATEWAY_URL is set but {names} is not")
        return self
