"""Write (or check) the committed JSON Schema snapshots under contracts/schemas/.

    python -m contracts.snapshot          rewrite the snapshots from the models
    python -m contracts.snapshot --check  exit 1 if a snapshot differs from its model

Rewrite only when a change is compatible: the contract test compares every model with
its committed snapshot through `contracts.compat.breaking_changes`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from contracts.topics import all_models

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="validation")


def render(model: type[BaseModel]) -> str:
    return json.dumps(schema_of(model), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def snapshot_path(model: type[BaseModel]) -> Path:
    return SCHEMAS / f"{model.__name__}.json"


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    SCHEMAS.mkdir(exist_ok=True)
    for model in all_models():
        path, text = snapshot_path(model), render(model)
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            path.write_text(text)
    if stale:
        print("stale snapshots: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
