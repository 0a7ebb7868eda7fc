"""The only module that knows the certification and OTP APIs' addresses and shapes.

Every call carries the signed-in officer's own access token: the services decide what
this officer may see and do, so each rule is enforced once, where the data lives.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx


class ApiError(Exception):
    """A service said no (or could not answer): status, reason code, words for a person."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(f"{status} {reason}: {message}")
        self.status, self.reason, self.message = status, reason, message


def _error(response: httpx.Response) -> ApiError:
    try:
        detail: Any = response.json().get("detail", response.text)
    except ValueError:
        detail = response.text
    if isinstance(detail, dict):
        return ApiError(response.status_code, str(detail.get("reason", "")), str(detail))
    if isinstance(detail, list):  # FastAPI validation errors
        words = "; ".join(f"{'.'.join(map(str, d.get('loc', [])))}: {d.get('msg')}" for d in detail)
        return ApiError(response.status_code, "invalid", words)
    return ApiError(response.status_code, "", str(detail))


@dataclass
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None = None


@dataclass
class Outcome:
    id: str
    ok: bool
    message: str = ""


@dataclass
class Apis:
    certification: httpx.AsyncClient
    otp: httpx.AsyncClient
    _reasons: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def _auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    async def _json(
        self, client: httpx.AsyncClient, method: str, path: str, token: str | None, **kw: Any
    ) -> Any:
        headers = self._auth(token) if token else {}
        response = await client.request(method, path, headers=headers, **kw)
        if response.status_code >= 400:
            raise _error(response)
        return response.json()

    # --- OTP service -------------------------------------------------------------------
    async def reasons(self) -> dict[str, Any]:
        """The OTP service's reason texts (public); fetched once per process."""
        if not self._reasons:
            try:
                self._reasons = await self._json(self.otp, "GET", "/v1/reasons", None)
            except (ApiError, httpx.HTTPError):
                return {}  # the codes are shown instead; asked again on the next page
        return self._reasons

    async def blocked(self, token: str, office: str | None) -> list[dict[str, str]]:
        """Blocked people of the officer's offices (or one of them), masked by the service."""
        params = {"ddo": office} if office else {}
        response = await self.otp.get(
            "/v1/reports/blocked.csv", params=params, headers=self._auth(token)
        )
        if response.status_code >= 400:
            raise _error(response)
        return list(csv.DictReader(io.StringIO(response.text)))

    async def record(self, token: str, employee_id: str) -> dict[str, Any]:
        return dict(await self._json(self.otp, "GET", f"/v1/employees/{employee_id}/record", token))

    async def decision(self, token: str, employee_id: str) -> dict[str, Any]:
        return dict(
            await self._json(self.otp, "GET", f"/v1/employees/{employee_id}/decision", token)
        )

    async def readiness(self, token: str) -> dict[str, Any]:
        return dict(await self._json(self.otp, "GET", "/v1/reports/readiness", token))

    # --- certification service ---------------------------------------------------------
    async def submit(
        self, token: str, submission: str, letter: tuple[str, bytes]
    ) -> dict[str, Any]:
        files = {"letter": (letter[0], letter[1], "application/pdf")}
        return dict(
            await self._json(
                self.certification,
                "POST",
                "/v1/certifications",
                token,
                data={"submission": submission},
                files=files,
            )
        )

    async def certifications(self, token: str, **filters: str | int | None) -> Page:
        """One page of certifications; the next page's cursor comes in X-Next-Cursor."""
        params = {k: v for k, v in filters.items() if v not in (None, "")}
        response = await self.certification.get(
            "/v1/certifications", params=params, headers=self._auth(token)
        )
        if response.status_code >= 400:
            raise _error(response)
        return Page(items=response.json(), next_cursor=response.headers.get("X-Next-Cursor"))

    async def certification_of(self, token: str, cert_id: str) -> dict[str, Any]:
        return dict(
            await self._json(self.certification, "GET", f"/v1/certifications/{cert_id}", token)
        )

    async def revoke(self, token: str, cert_id: str, reason: str) -> None:
        path = f"/v1/certifications/{cert_id}/revoke"
        await self._json(self.certification, "POST", path, token, json={"reason": reason})

    async def reject(self, token: str, cert_id: str, reason: str) -> None:
        path = f"/v1/certifications/{cert_id}/reject"
        await self._json(self.certification, "POST", path, token, json={"reason": reason})

    async def advise_and_activate(
        self, token: str, ids: list[str], number: str, on: date
    ) -> list[Outcome]:
        """HRD's one advice on many certifications, then their activation (the service's
        bulk calls, each id answered on its own): done, or why not."""
        advice = {"ids": ids, "advice_number": number, "advice_date": on.isoformat()}
        path = "/v1/certifications/bulk"
        advised = await self._json(self.certification, "POST", f"{path}/advice", token, json=advice)
        outcomes = {r["id"]: r for r in advised["results"]}
        ready = [i for i in ids if outcomes[i]["done"]]
        if ready:
            active = await self._json(
                self.certification, "POST", f"{path}/activate", token, json={"ids": ready}
            )
            outcomes.update({r["id"]: r for r in active["results"]})
        return [
            Outcome(i, ok=bool(outcomes[i]["done"]), message=outcomes[i].get("message") or "")
            for i in ids
        ]

    async def letter(self, token: str, cert_id: str) -> bytes:
        path = f"/v1/certifications/{cert_id}/letter"
        response = await self.certification.get(path, headers=self._auth(token))
        if response.status_code >= 400:
            raise _error(response)
        return response.content

    async def audit(self, token: str) -> dict[str, Any]:
        return dict(await self._json(self.certification, "GET", "/v1/audit/verify", token))
