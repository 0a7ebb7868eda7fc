"""Console settings (env prefix CONSOLE_; the issuer is shared as SEVA_OIDC_ISSUER)."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from servicekit.settings import local_oidc_issuer


class ConsoleSettings(BaseSettings):
    """The console keeps no employee data, so it needs no Kafka and no database of its own:
    only the identity provider, the two APIs it calls and its session settings."""

    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore", populate_by_name=True)

    http_host: str = Field(default="127.0.0.1", description="HTTP bind address")
    http_port: int = Field(default=8006, description="HTTP port")
    log_level: str = Field(default="INFO", description="Python logging level")
    public_url: str = Field(
        default="http://127.0.0.1:8006",
        description="Address officers open (the sign-in redirect comes back here; "
        "https makes the session cookie Secure)",
    )
    oidc_issuer: str = Field(
        default_factory=local_oidc_issuer,
        validation_alias=AliasChoices("SEVA_OIDC_ISSUER", "oidc_issuer"),
        description="OpenID Connect issuer officers sign in with (discovery document under it)",
    )
    client_id: str = Field(default="seva-console", description="OIDC client id of the console")
    client_secret: SecretStr = Field(description="OIDC client secret of the console")
    session_secret: SecretStr = Field(description="Key signing the session cookie")
    session_idle_minutes: int = Field(
        default=30, gt=0, description="A session unused this long is ended (sign in again)"
    )
    certification_url: str = Field(
        default="http://127.0.0.1:8002", description="Certification service API"
    )
    otp_url: str = Field(default="http://127.0.0.1:8003", description="OTP service API")
    api_timeout_seconds: float = Field(default=20.0, gt=0, description="Per-call API timeout")
    page_size: int = Field(default=50, ge=1, le=500, description="Rows per page of a list")
