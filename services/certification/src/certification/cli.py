"""`python -m certification [command]`: serve (no command), sign an officer in at the
OIDC provider, verify the audit chain locally, or drive the running service's HTTP API."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from certification.adapters.mongo import MongoCertifications
from certification.domain.audit import Verdict
from certification.settings import StorageSettings
from servicekit import signin
from servicekit.mongo import open_mongo
from servicekit.officers import OidcSettings

DEFAULT_URL = "http://127.0.0.1:8002"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m certification")
    parser.add_argument("--url", default=os.environ.get("CERTIFICATION_URL", DEFAULT_URL))
    parser.add_argument("--token", default=os.environ.get("CERTIFICATION_TOKEN"))
    sub = parser.add_subparsers(dest="command")
    login = sub.add_parser(
        "login",
        help="sign in at the OIDC provider (SEVA_OIDC_ISSUER) and print the access token",
    )
    login.add_argument("--user", help="password grant: the officer's user name")
    login.add_argument(
        "--totp", help="password grant: the current TOTP code (required for HRD officers)"
    )
    login.add_argument(
        "--device", action="store_true", help="device grant: approve the sign-in in a browser"
    )
    login.add_argument("--client", default=os.environ.get("SEVA_OIDC_CLIENT_ID", "seva-cli"))
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
    listing.add_argument("--department")
    listing.add_argument("--covers")
    listing.add_argument("--submitted-after")
    listing.add_argument("--submitted-before")
    listing.add_argument("--cursor", help="X-Next-Cursor of the previous page")
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
    query = {
        "office": args.office,
        "state": args.state,
        "employee_id": args.employee_id,
        "department": args.department,
        "covers": args.covers,
        "submitted_after": args.submitted_after,
        "submitted_before": args.submitted_before,
        "cursor": args.cursor,
    }
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
    if cursor := response.headers.get("X-Next-Cursor"):
        print(f"next page: --cursor {cursor}", file=sys.stderr)
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


def _login(args: argparse.Namespace) -> int:
    """Print an access token; the password comes from SEVA_OFFICER_PASSWORD or a prompt."""
    issuer = OidcSettings().oidc_issuer
    try:
        if args.device:
            answer = signin.device_grant(issuer, args.client, lambda s: print(s, file=sys.stderr))
        elif args.user:
            password = os.environ.get("SEVA_OFFICER_PASSWORD") or getpass.getpass(
                f"password of {args.user}: "
            )
            answer = signin.password_grant(issuer, args.client, args.user, password, args.totp)
        else:
            print("give --user NAME (password grant) or --device", file=sys.stderr)
            return 2
    except signin.SignInError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"valid for {answer.get('expires_in', '?')} s", file=sys.stderr)
    print(answer["access_token"])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "login":
        return _login(args)
    if args.command == "audit":
        return _audit_verify()
    return _remote(args)
