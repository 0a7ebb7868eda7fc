"""The dead letter: a message that can never be processed, kept with its reason."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class DeadLetter(BaseModel):
    """Published to `<topic>.dlq` instead of stalling the partition.

    `payload` holds the original bytes (UTF-8, replaced where not decodable) so an
    operator can repair and replay it; `source_*` fields say exactly where it came from.
    """

    model_config = ConfigDict(frozen=True)

    event_type: Literal["DeadLetter"] = "DeadLetter"
    schema_version: Literal[1] = 1
    source_topic: str = Field(description="Topic the message was read from")
    source_partition: int | None = Field(default=None, description="Partition, when consumed")
    source_offset: int | None = Field(default=None, description="Offset, when consumed")
    source_key: str | None = Field(default=None, description="Kafka key of the original")
    consumer: str = Field(description="Service that gave up on the message")
    reason: str = Field(description="Why it can never be processed, for a person to act on")
    field: str | None = Field(default=None, description="The offending field, when known")
    payload: str = Field(description="The original message, as text")
    failed_at: AwareDatetime
