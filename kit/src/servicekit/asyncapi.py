"""The AsyncAPI document of a service's Kafka app, as committed under docs/asyncapi/."""

from __future__ import annotations

import json

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI


def asyncapi_json(broker: KafkaBroker, title: str, description: str) -> str:
    """Stable text (sorted keys) so a stale committed copy shows up as a diff."""
    spec = AsyncAPI(broker, title=title, version="1.0.0", description=description)
    document = json.loads(spec.to_specification().to_json())
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
