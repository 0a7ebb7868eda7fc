"""`python -m ingest <command>`: upload a file to the running service, print the
completeness report, or generate synthetic data.

    python -m ingest upload --source hkrnl|ebilling|master FILE [--as-of ISO] [--url URL]
                            [--charset windows-1252]   (a CSV file that is not UTF-8)
    python -m ingest completeness [--url URL]
    python -m ingest generate ...            (see ingest.generator)

The token comes from the environment: INGEST_HKRNL_TOKEN, INGEST_EBILLING_TOKEN or
INGEST_MASTER_TOKEN, by source. The URL defaults to http://127.0.0.1:$INGEST_HTTP_PORT.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx

CHUNK = 256 * 1024
TOKEN_ENV = {
    "hkrnl": "INGEST_HKRNL_TOKEN",
    "ebilling": "INGEST_EBILLING_TOKEN",
    "master": "INGEST_MASTER_TOKEN",
}


def default_url() -> str:
    return f"http://127.0.0.1:{os.environ.get('INGEST_HTTP_PORT', '8001')}"


def _token(source: str | None) -> str:
    names = [TOKEN_ENV[source]] if source else list(TOKEN_ENV.values())
    for name in names:
        if value := os.environ.get(name):
            return value
    raise SystemExit(f"set {' or '.join(names)} to the source system's bearer token")


def _stream(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def upload(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise SystemExit(f"no such file: {path}")
    params = {"file_name": path.name} | ({"as_of": args.as_of} if args.as_of else {})
    headers = {
        "Authorization": f"Bearer {_token(args.source)}",
        "Content-Type": "application/json"
        if path.suffix == ".json"
        else "text/csv" + (f"; charset={args.charset}" if args.charset else ""),
        "Content-Length": str(path.stat().st_size),
    }
    response = httpx.post(
        f"{args.url}/v1/uploads/{args.source}",
        params=params,
        headers=headers,
        content=_stream(path),
        timeout=httpx.Timeout(30.0, read=3600.0),
    )
    return _print(response)


def completeness(args: argparse.Namespace) -> int:
    response = httpx.get(
        f"{args.url}/v1/reports/completeness",
        headers={"Authorization": f"Bearer {_token(None)}"},
        timeout=120.0,
    )
    return _print(response)


def _print(response: httpx.Response) -> int:
    try:
        print(json.dumps(response.json(), indent=2, ensure_ascii=False))
    except ValueError:
        print(response.text)
    if response.is_success:
        return 0
    print(f"HTTP {response.status_code}", file=sys.stderr)
    return 1


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m ingest", description=__doc__.splitlines()[0])
    commands = root.add_subparsers(dest="command", required=True)
    up = commands.add_parser("upload", help="post a file to the running service")
    up.add_argument("--source", required=True, choices=sorted(TOKEN_ENV))
    up.add_argument("file")
    up.add_argument("--as-of", help="ISO datetime the data is valid at (default: now)")
    up.add_argument("--url", default=default_url())
    up.add_argument("--charset", help="the CSV file's encoding when it is not UTF-8")
    up.set_defaults(run=upload)
    report = commands.add_parser("completeness", help="codes in use but missing from master data")
    report.add_argument("--url", default=default_url())
    report.set_defaults(run=completeness)
    return root


def main(argv: Sequence[str]) -> int:
    if argv and argv[0] == "generate":
        from ingest.generator import main_generate

        result = main_generate(list(argv[1:]))
        return result if isinstance(result, int) else 0
    args = parser().parse_args(argv)
    code: int = args.run(args)
    return code
