"""What the fault tests do as clients: upload files, ask for OTPs, count SMS."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.stack import Stack, wait_until


@dataclass
class Generated:
    root: Path
    manifest: dict[str, Any]

    def path(self, source: str) -> Path:
        return self.root / self.manifest["files"][source]

    def accepted(self) -> dict[str, dict[str, Any]]:
        """employee id -> manifest entry, for every employee a correct ingest publishes."""
        return {p["employee_id"]: p for p in self.manifest["people"] if p["accepted"]}

    def ready_people(self) -> list[dict[str, Any]]:
        """People whose OTP gate is open for the mobile and Family ID the data holds."""
        return [p for p in self.manifest["people"] if p["accepted"] and not p["defects"]]


AS_OF = "2026-02-01T00:00:00+05:30"
TOKENS = {"master": "INGEST_MASTER_TOKEN", "hkrnl": "INGEST_HKRNL_TOKEN"}
TOKENS["ebilling"] = "INGEST_EBILLING_TOKEN"


def upload(stack: Stack, generated: Generated, source: str) -> dict[str, Any]:
    """Send a file as a client would: when the service dies under the request, wait for it
    to come back and send the same file again."""
    path = generated.path(source)
    for _ in range(5):
        try:
            with path.open("rb") as body:
                response = httpx.post(
                    stack.url("ingest", f"/v1/uploads/{source}"),
                    params={"as_of": AS_OF, "file_name": path.name},
                    headers={**stack.bearer(TOKENS[source]), "Content-Type": "text/csv"},
                    content=body,
                    timeout=600,
                )
            if response.status_code == 200:
                report: dict[str, Any] = response.json()
                return report
            if response.status_code < 500:  # refused: sending it again would not help
                raise AssertionError(f"{source} upload: {response.status_code} {response.text}")
        except httpx.TransportError:
            pass
        wait_until("ingest to answer again", lambda: stack.ready("ingest")[0] == 200)
    raise AssertionError(f"{source} upload never completed")


def published(stack: Stack, source: str) -> float:
    """ingest_records_published_total{source} from the service's /metrics (0 if away)."""
    try:
        text = httpx.get(stack.url("ingest", "/metrics"), timeout=2).text
    except httpx.TransportError:
        return 0.0
    found = re.search(rf'ingest_records_published_total{{source="{source}"}} (\S+)', text)
    return float(found.group(1)) if found else 0.0


def request(stack: Stack, person: dict[str, Any]) -> tuple[int, str | None]:
    """One portal request: (status, challenge id when accepted); 0 when no answer came."""
    try:
        response = httpx.post(
            stack.url("otp", "/v1/otp/requests"),
            json={"family_id": person["record_family_id"], "mobile": person["record_mobile"]},
            headers=stack.bearer("OTP_PORTAL_TOKEN"),
            timeout=60,
        )
    except httpx.TransportError:
        return 0, None
    accepted = response.status_code == 202
    return response.status_code, response.json()["challenge_id"] if accepted else None


def assert_one_sms_per_challenge(stack: Stack, challenges: list[str]) -> None:
    """Every accepted challenge reaches the gateway, and exactly once."""

    def per_challenge() -> dict[str, int]:
        counts = dict.fromkeys(challenges, 0)
        for message in stack.sms():
            challenge = message["msgid"].split(":")[0]
            if challenge in counts:
                counts[challenge] += 1
        return counts

    wait_until("an SMS for every accepted challenge", lambda: all(per_challenge().values()), 300)
    assert {c: n for c, n in per_challenge().items() if n != 1} == {}
