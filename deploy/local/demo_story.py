"""The demo's clients, credentials and generated data: who it is on each API, and which of
the manifest's people are its own on this stack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import demo_planted as yardstick
import httpx
import officers
from demo_checks import Comparison, DemoError

import services as local


def url(service: str, path: str = "") -> str:
    return f"http://127.0.0.1:{local.port_of(service)}{path}"


class Story:
    """The demo's clients, credentials and generated data.

    `shared` holds the manifest's ids the view already held before the upload on a stack
    with other data: a person with any of them is not counted as the demo's own (their
    refusals, links or certifications may be the other data's)."""

    def __init__(self, out: Path, manifest: dict[str, Any]) -> None:
        self.out, self.manifest = out, manifest
        self.figures = Comparison()
        self.shared: set[str] = set()
        self.secrets = local.dev_secrets()
        self.http = httpx.Client(timeout=120)
        self.officers = officers.DemoOfficers(local.STATE)

    def officer(self, role: str, *offices: str) -> dict[str, str]:
        """An officer of the demo signed in at the local Keycloak (created on first use)."""
        name = "demo-" + "-".join([role.replace("_", "-"), *offices]).lower()
        return self.officers.bearer(self.officers.ensure(name, role, offices))

    def bearer(self, secret_name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets[secret_name]}"}

    def call(self, method: str, address: str, expect: int, **kwargs: Any) -> httpx.Response:
        response = self.http.request(method, address, **kwargs)
        if response.status_code != expect:
            raise DemoError(
                f"{method} {address}: expected {expect}, got {response.status_code}: "
                f"{response.text[:300]}"
            )
        return response

    def people(self, *, accepted: bool = True) -> list[dict[str, Any]]:
        return [p for p in self.manifest["people"] if p["accepted"] == accepted]

    def persons(self) -> list[list[dict[str, Any]]]:
        """The demo's own persons: all of them, or on a used stack those none of whose
        ids the view held before the upload."""
        return [
            ids
            for ids in yardstick.persons(self.people())
            if not {entry["employee_id"] for entry in ids} & self.shared
        ]

    def own(self) -> list[dict[str, Any]]:
        """The ids of the demo's own persons."""
        return [entry for ids in self.persons() for entry in ids]


def request_otp(story: Story, family_id: str, mobile: str) -> httpx.Response:
    return story.http.post(
        url("otp", "/v1/otp/requests"),
        json={"family_id": family_id, "mobile": mobile, "locale": "en"},
        headers=story.bearer("OTP_PORTAL_TOKEN"),
    )
