"""Notify and ingest after real traffic (an SMS through a gateway that fails once, a
delivery report; an HKRNL upload with rejected rows): every label the alert rules and
dashboards filter on is on the series these services export, and every metric they own is
there."""

from __future__ import annotations

from pathlib import Path

import httpx

from contracts import topics
from ingest.app import create_app as create_ingest
from notify.app import create_app as create_notify
from tests.factories.ingest import bearer, ingest_settings
from tests.helpers import read_topic, serving
from tests.integration.notify.conftest import REPORT_TOKEN, NotifyHarness
from tests.integration.ops.observability import (
    ROOT,
    exported,
    matched_labels,
    owner,
    queried_metrics,
    queries,
)

SAMPLE = ROOT / "tests" / "data" / "ingest" / "hkrnl-sample.csv"


def _problems(service: str, page: str) -> dict[str, object]:
    names = exported(page)
    missing = sorted(m for m in queried_metrics() if owner(m) == service and m not in names)
    unknown = sorted(
        (metric, label, where)
        for where, expr in queries().items()
        for metric, label in matched_labels(expr)
        if names.get(metric) and label not in names[metric]
    )
    return {"missing": missing, "unknown labels": unknown} if missing or unknown else {}


async def test_notify_exports_every_queried_name_and_label_after_an_sms(
    harness: NotifyHarness,
) -> None:
    request = harness.request(mobile="9811100041")
    app = create_notify(harness.settings)
    async with serving(app, "http://notify") as client:
        await harness.control(fail_status=503, fail_count=1)
        await harness.publish(request)
        await read_topic(
            harness.kafka,
            topics.SMS_STATUS,
            lambda m: m.get("challenge_id") == request.challenge_id and m["state"] == "sent",
        )
        report = await client.post(
            "/v1/delivery-reports",
            json={"msgid": f"{request.challenge_id}:1", "status": "DELIVRD"},
            headers={"X-Report-Token": REPORT_TOKEN},
        )
        assert report.status_code == 200
        page = (await client.get("/metrics")).text

    assert 'notify_sms_outcomes_total{reason="",state="delivered"} 1.0' in page
    assert 'notify_gateway_requests_total{gateway="primary",outcome="unavailable"} 1.0' in page
    assert _problems("notify", page) == {}


async def test_ingest_exports_every_queried_name_and_label_after_an_upload(
    kafka_bootstrap: str, mongodb_uri: str, tmp_path: Path
) -> None:
    app = create_ingest(ingest_settings(kafka_bootstrap, mongodb_uri))
    async with serving(app, "http://ingest", timeout=120) as client:
        response = await client.post(
            "/v1/uploads/hkrnl",
            params={"as_of": "2026-02-01T00:00:00+05:30", "file_name": SAMPLE.name},
            headers={**bearer("hkrnl"), "Content-Type": "text/csv"},
            content=SAMPLE.read_bytes(),
        )
        assert response.status_code == 200, response.text
        page = (await client.get("/metrics")).text

    assert 'route="/v1/uploads/{source}"' in page
    if response.json()["rejected"]:
        assert "ingest_rejections_total{" in page
    assert _problems("ingest", page) == {}


async def test_an_unknown_path_is_counted_as_unmatched_not_by_its_raw_path(
    harness: NotifyHarness,
) -> None:
    app = create_notify(harness.settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://notify") as client:
        await client.get("/no/such/path/12345")
        page = (await client.get("/metrics")).text
    assert 'route="unmatched"' in page
    assert "12345" not in page
