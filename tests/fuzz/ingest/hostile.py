"""What the hostile-source tests share: the hypothesis settings they run under, the
push limit the app is given, an HKRNL push record, a push that must get a documented
status, the check that a report accounts for each row, and the rejections a report
lists."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, settings

from tests.factories.ingest import bearer

PUSH_STATUSES = {200, 413, 422}
PUSH_LIMIT = 64 * 1024
FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def record(ref: str, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "hkrnl_id": ref,
        "name": "Sunita Devi",
        "date_of_birth": "12-05-1988",
        "date_of_joining": "01-04-2017",
        "mobile": "9812345678",
        "family_id": "AB12CD34",
        "ddo_code": "DDO-HSR-01",
    }
    values.update(fields)
    return values


async def push(client: httpx.AsyncClient, body: bytes) -> httpx.Response:
    headers = bearer("hkrnl") | {"Content-Type": "application/json"}
    response = await client.post("/v1/hkrnl/records", content=body, headers=headers)
    assert response.status_code in PUSH_STATUSES, response.text
    return response


def accounted(report: dict[str, Any], rows: int) -> None:
    assert report["received"] == rows
    assert report["received"] == report["accepted"] + report["rejected"]
    assert report["records"] == report["published"] + report["unchanged"] + report["stale"]


async def rejections(client: httpx.AsyncClient, report: dict[str, Any]) -> list[dict[str, Any]]:
    response = await client.get(report["rejections_url"], headers=bearer(report["source"]))
    found: list[dict[str, Any]] = response.json()
    assert len(found) == report["rejected"]
    return found
