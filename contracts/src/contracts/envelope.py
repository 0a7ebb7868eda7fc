"""The envelope every event carries, so consumers can order, deduplicate and trace."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


def new_event_id() -> str:
    """A fresh, globally unique event id."""
    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    """Fields shared by every event.

    Invariants consumers rely on:
    - `event_id` is stable across redelivery of the same fact, so it deduplicates;
    - `source_version` grows for a given `partition_key`; a consumer keeps the newest
      version it has seen and drops anything older or equal (stale or duplicate).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str = Field(default_factory=new_event_id, description="Unique id of this fact")
    event_type: str = Field(description="Name of the event model, e.g. EmployeeRecordReceived")
    schema_version: int = Field(description="Version of the event's schema within its topic")
    occurred_at: AwareDatetime = Field(
        default_factory=utc_now, description="When the fact happened (UTC)"
    )
    producer: str = Field(description="Service that published the event")
    correlation_id: str = Field(description="Ties together everything caused by one request")
    partition_key: str = Field(description="Kafka key: events of one key stay in order")
    source_version: int = Field(
        ge=0,
        description="Per-key version: consumers drop events not newer than what they hold",
    )
