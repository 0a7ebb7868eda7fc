"""Write (or, with --check, verify) docs/asyncapi/<service>.json from each service's
FastStream app. The contract tests fail when a committed document is stale."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("ingest", "certification", "otp", "notify")


def document(service: str) -> str:
    module = importlib.import_module(f"{service}.app")
    return str(module.asyncapi_document())


def path_of(service: str) -> Path:
    return ROOT / "docs" / "asyncapi" / f"{service}.json"


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for service in SERVICES:
        path, text = path_of(service), document(service)
        if check and (not path.exists() or path.read_text() != text):
            stale.append(path.name)
        elif not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if stale:
        print("stale AsyncAPI documents: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
