"""Write (or check) the committed JSON Schema snapshots under contracts/schemas/.

    python -m contracts.snapshot                 rewrite the snapshots from the models
    python -m contracts.snapshot --check         exit 1 if a snapshot differs from its model
    python -m contracts.snapshot --schemas DIR   work on another folder of snapshots

A rewrite is refused (exit 1, nothing written, each offending field named) when a model
is no longer backward compatible with its committed snapshot: a field removed or
retyped, an enum value dropped, a new required field (`contracts.compat`). An
incompatible change is accepted only when it is published on a new topic version:
`topics.json` beside the snapshots records the topic each model was snapshotted on, and a
model whose topic name changed (`sms-status.v1` -> `sms-status.v2`) starts afresh.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from contracts.compat import breaking_changes
from contracts.dlq import DeadLetter
from contracts.topics import TOPICS, all_models

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
TOPICS_FILE = "topics.json"
DEAD_LETTER_TOPIC = "<topic>.dlq"


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="validation")


def render(model: type[BaseModel]) -> str:
    return json.dumps(schema_of(model), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def snapshot_path(model: type[BaseModel], schemas: Path = SCHEMAS) -> Path:
    return schemas / f"{model.__name__}.json"


def topic_of_each_model() -> dict[str, str]:
    """Model name -> the topic (with its version) that carries it now."""
    found = {model.__name__: spec.name for spec in TOPICS.values() for model in spec.models}
    found[DeadLetter.__name__] = DEAD_LETTER_TOPIC
    return found


def _rendered_topics(topics: dict[str, str]) -> str:
    return json.dumps(topics, indent=2, sort_keys=True) + "\n"


def plan(schemas: Path) -> tuple[dict[Path, str], list[str]]:
    """The files a rewrite would write, and every reason it must not (empty if none)."""
    topics = topic_of_each_model()
    recorded_file = schemas / TOPICS_FILE
    recorded: dict[str, str] = (
        json.loads(recorded_file.read_text()) if recorded_file.exists() else {}
    )
    writes: dict[Path, str] = {recorded_file: _rendered_topics(topics)}
    refused: list[str] = []
    for model in all_models():
        name, topic = model.__name__, topics[model.__name__]
        path = snapshot_path(model, schemas)
        same_topic = recorded.get(name, topic) == topic
        if path.exists() and same_topic:
            for problem in breaking_changes(json.loads(path.read_text()), schema_of(model)):
                refused.append(f"{name} on {topic}: {problem}")
        writes[path] = render(model)
    return writes, refused


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    schemas = SCHEMAS
    if "--schemas" in args:
        schemas = Path(args[args.index("--schemas") + 1])
    writes, refused = plan(schemas)
    if "--check" in args:
        stale = sorted(
            p.name for p, text in writes.items() if not p.exists() or p.read_text() != text
        )
        if stale:
            print("stale snapshots: " + ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    if refused:
        print(
            "refused: these changes break readers of messages already written "
            "(publish them on a new topic version instead):",
            file=sys.stderr,
        )
        for problem in refused:
            print(f"  {problem}", file=sys.stderr)
        return 1
    schemas.mkdir(parents=True, exist_ok=True)
    for path, text in writes.items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
