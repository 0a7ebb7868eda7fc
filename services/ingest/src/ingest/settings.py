"""Ingest service settings (env prefix INGEST_)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class IngestSettings(ServiceSettings):
    """One bearer token per source system; each token opens only its own source."""

    model_config = SettingsConfigDict(env_prefix="INGEST_", extra="ignore", populate_by_name=True)

    mongodb_database: str = Field(default="seva_ingest", description="Database the service owns")
    http_port: int = Field(default=8001, description="HTTP port")
    consumer_group: str = Field(default="ingest", description="Kafka consumer group")
    hkrnl_token: SecretStr = Field(description="Bearer token of HKRNL (Part-I push and upload)")
    ebilling_token: SecretStr = Field(description="Bearer token of T&A e-Billing uploads")
    master_token: SecretStr = Field(description="Bearer token of HRD/HKCL master-data uploads")
    link_key: SecretStr = Field(
        description="Server secret keying the stored identity keys (Family ID, mobile) of links"
    )
    max_upload_bytes: int = Field(
        # a year of T&A e-Billing lines for ~120,000 employees is about 240 MB
        default=512 * 1024 * 1024,
        gt=0,
        description="Largest accepted upload body (413 while reading, never after)",
    )
    max_push_bytes: int = Field(
        # 1,000 records of a few KB each, with room to spare
        default=16 * 1024 * 1024,
        gt=0,
        description="Largest JSON body, an HKRNL push or a JSON upload, which is parsed whole "
        "(413 while reading, never after)",
    )
    max_push_records: int = Field(
        default=1000, gt=0, description="Most records in one HKRNL JSON push (413 beyond)"
    )
    publish_chunk: int = Field(
        default=1000, gt=0, description="Rows handled, written and published together"
    )
    publish_batch_bytes: int = Field(
        # an e-Billing record with a year of months is about 2 KB: 16 KiB batches held 8
        default=512 * 1024,
        gt=0,
        le=1024 * 1024,
        description="Bytes of records the Kafka producer groups per partition into one batch",
    )
    publish_linger_ms: int = Field(
        default=5, ge=0, description="How long the Kafka producer waits to fill a batch"
    )
