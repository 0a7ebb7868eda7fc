"""Settings shared by every service. Each service subclasses with its own env prefix.

`KAFKA_BOOTSTRAP_SERVERS` and `MONGODB_URI` are read without a prefix, so one pair of
variables points every service at external servers. Without them, the local servers
that `deploy/local/servers.py` starts are used (ports from `SEVA_KAFKA_PORT` and
`SEVA_MONGO_PORT`).
"""

from __future__ import annotations

import os

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def local_kafka() -> str:
    return f"127.0.0.1:{os.environ.get('SEVA_KAFKA_PORT', '19092')}"


def local_mongodb() -> str:
    port = os.environ.get("SEVA_MONGO_PORT", "27018")
    return f"mongodb://127.0.0.1:{port}/?replicaSet=rs0"


def local_oidc_issuer() -> str:
    """The realm of the Keycloak that deploy/local/servers.py runs (port SEVA_KEYCLOAK_PORT)."""
    return f"http://127.0.0.1:{os.environ.get('SEVA_KEYCLOAK_PORT', '18080')}/realms/seva"


class ServiceSettings(BaseSettings):
    """Base of every service's settings; subclasses set `env_prefix` and defaults."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    kafka_bootstrap_servers: str = Field(
        default_factory=local_kafka,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "kafka_bootstrap_servers"),
        description="Kafka brokers, comma separated (no prefix: shared by all services)",
    )
    mongodb_uri: str = Field(
        default_factory=local_mongodb,
        validation_alias=AliasChoices("MONGODB_URI", "mongodb_uri"),
        description="MongoDB connection string (no prefix: shared by all services)",
    )
    mongodb_database: str = Field(description="Database this service owns")
    http_host: str = Field(default="127.0.0.1", description="HTTP bind address")
    http_port: int = Field(description="HTTP port")
    log_level: str = Field(default="INFO", description="Python logging level")
    consumer_retry_backoff_seconds: float = Field(
        default=1.0, ge=0, description="Pause before a failed message is redelivered"
    )
    consumer_workers: int = Field(
        default=3,
        ge=1,
        description="Consumers per busy input topic in one process, each on its own "
        "partitions and in order (more than the topic's partitions stay idle)",
    )
