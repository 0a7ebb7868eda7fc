"""`python -m certification [command]`: serve (no command), issue tokens, verify the
audit chain locally, or drive the running service's HTTP API."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from certification import tokens
from certification.adapters.mongo import MongoCertifications
from certification.domain.audit import Verdict
from certification.settings import CertificationSettings, StorageSettings
from servicekit.mongo import open_mongo

DEFAULT_URL = "http://127.0.0.1:8002"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m certification")
    parser.add_argument("--url", default=os.environ.get("CERTIFICATION_URL", DEFAULT_URL))
    parser.add_argument("--token", default=os.environ.get("CERTIFICATION_TOKEN"))
    sub = parser.add_subparsers(dest="command")
    token = sub.add_parser("token", help="issue a bearer token (secret from the environment)")
    token.add_argument("--role", required=True, choices=tokens.ROLES)
    token.add_argument("--office", action="append", default=[], help="repeat for more offices")
    token.add_argument("--sub", required=True, help="who the token is for")
    token.add_argument("--hours", type=float, default=8.0)
    audit = sub.add_parser("audit", help="audit trail commands")
    audit.add_argument("action", choices=["verify"])
    submit = sub.add_parser("submit", help="submit a certification")
    submit.add_argument("submission", type=Path, help="JSON file of the submission")
    submit.add_argument("--letter", type=Path, help="scanned letter (PDF)")
    advise = sub.add_parser("advise", help="HRD records advice")
    advise.add_argument("id")
    advise.add_argument("--number", required=True)
    advise.add_argument("--date", required=True, help="YYYY-MM-DD")
    sub.add_parser("activate", help="HRD makes an advised certification effective").add_argument(
        "id"
    )
    for name in ("reject", "revoke"):
        command = sub.add_parser(name, help=f"{name} with a reason")
        command.add_argument("id")
        command.add_argument("--reason", required=True)
    listing = sub.add_parser("list", help="search certifications")
    listing.add_argument("--office")
    listing.add_argument("--state")
    listing.add_argument("--employee-id")
    sub.add_parser("show", help="one certification").add_argument("id")
    return parser


def _request(args: argparse.Namespace) -> tuple[str, str, dict[str, Any]]:
    base = "/v1/certifications"
    if args.command == "submit":
        files: dict[str, Any] = {"submission": (None, args.submission.read_text())}
        if args.letter:
            files["letter"] = (args.letter.name, args.letter.read_bytes(), "application/pdf")
        return "POST", base, {"files": files}
    if args.command == "advise":
        body = {"advice_number": args.number, "advice_date": args.date}
        return "POST", f"{base}/{args.id}/advice", {"json": body}
    if args.command in ("reject", "revoke"):
        return "POST", f"{base}/{args.id}/{args.command}", {"json": {"reason": args.reason}}
    if args.command == "activate":
        return "POST", f"{base}/{args.id}/activate", {}
    if args.command == "show":
        return "GET", f"{base}/{args.id}", {}
    query = {"office": args.office, "state": args.state, "employee_id": args.employee_id}
    return "GET", base, {"params": {k: v for k, v in query.items() if v}}


def _remote(args: argparse.Namespace) -> int:
    if not args.token:
        print("a token is needed: --token or CERTIFICATION_TOKEN", file=sys.stderr)
        return 2
    method, path, extra = _request(args)
    headers = {"Authorization": f"Bearer {args.token}"}
    response = httpx.request(method, args.url + path, headers=headers, timeout=30, **extra)
    try:
        print(json.dumps(response.json(), indent=2, ensure_ascii=False))
    except ValueError:
        print(response.text)
    return 0 if response.is_success else 1


async def verify_chain(settings: StorageSettings) -> Verdict:
    """Check the audit chain of the configured database directly in MongoDB."""
    client = open_mongo(settings.mongodb_uri, "certification-cli")
    try:
        return await MongoCertifications(client, client[settings.mongodb_database]).verify_audit()
    finally:
        await client.close()


def _audit_verify() -> int:
    verdict = asyncio.run(verify_chain(StorageSettings()))
    if verdict.ok:
        print(f"audit chain intact: {verdict.entries} entries")
        return 0
    print(f"audit chain broken at entry {verdict.first_bad_seq}: {verdict.problem}")
    return 1


def _token(args: argparse.Namespace) -> int:
    settings = CertificationSettings()
    secret = settings.jwt_secret.get_secret_value()
    now = datetime.now(UTC)
    print(tokens.issue(secret, args.sub, args.role, args.office, args.hours, now))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "token":
        return _token(args)
    if args.command == "audit":
        return _audit_verify()
    return _remote(args)
