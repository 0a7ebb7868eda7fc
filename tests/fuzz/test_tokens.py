"""Every protected route of every service (read from its OpenAPI document) refuses, with
401 or 403 and without employee data in the body, requests with no token, a malformed
token, a forged, unsigned or expired JWT, a JWT for another office or of a role no
officer has, and wrong static tokens (portal, ingest sources, delivery reports)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest

from certification.app import create_app as create_certification
from contracts import topics
from ingest.app import create_app as create_ingest
from notify.app import create_app as create_notify
from otp.app import create_app as create_otp
from tests.factories import unique
from tests.factories.certification import PDF, seed, submission
from tests.factories.certification import settings as certification_settings
from tests.factories.ingest import TOKENS, ingest_settings
from tests.factories.otp import person
from tests.fuzz.tokens import (
    Call,
    Refusals,
    bearer,
    jwt_impostors,
    protected_calls,
    signed,
)
from tests.helpers import serving
from tests.integration.certification.conftest import start_at_end
from tests.integration.notify.conftest import REPORT_TOKEN, notify_settings
from tests.integration.otp.conftest import PORTAL_TOKEN, OtpHarness
from tests.oidc import LocalIssuer

STATIC_IMPOSTORS = {
    "a wrong bearer token": bearer("portal-token-for-testz"),
    "a non-ASCII bearer token": {"Authorization": b"Bearer portal-t\xf6ken"},
    "an ingest source token": bearer(TOKENS["hkrnl"]),
    "the portal token": bearer(PORTAL_TOKEN),
    "the delivery-report token": bearer(REPORT_TOKEN),
}


def body_for(call: Call, bodies: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return bodies.get(
        f"{call.method} {call.template}", {"json": {}} if call.method == "POST" else {}
    )


# --- OTP --------------------------------------------------------------------------------


async def test_otp_routes_refuse_every_impostor_without_data(
    otp: OtpHarness, local_issuer: LocalIssuer
) -> None:
    office, other = unique("DDO-A"), unique("DDO-B")
    employee = person(
        ddo_code=office, office_code=office, department_code=unique("DEP"), name=unique("Name")
    )
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
    requested = await otp.request(employee.family_id or "", employee.mobile or "")
    assert requested.status_code == 202, requested.text
    challenge_id = requested.json()["challenge_id"]
    fill = {
        "employee_id": employee.employee_id,
        "challenge_id": challenge_id,
        "ddo": office,
        "department": employee.department_code or "",
    }
    calls = protected_calls(create_otp(otp.settings), fill)
    bodies = {
        "POST /v1/otp/requests": {
            "json": {"family_id": employee.family_id, "mobile": employee.mobile}
        },
        "POST /v1/otp/verifications": {"json": {"challenge_id": challenge_id, "code": "000000"}},
    }
    hrd = bearer(signed(local_issuer, "hrd"))
    seen = await otp.client.get(f"/v1/employees/{employee.employee_id}/decision", headers=hrd)
    assert seen.status_code == 200, "the seeded employee is there for a valid token"

    refusals = Refusals(
        [employee.employee_id, employee.name, employee.mobile or "", employee.family_id or ""]
    )
    impostors = jwt_impostors(local_issuer, other, office) | STATIC_IMPOSTORS
    for call in calls:
        portal_route = call.template.startswith("/v1/otp/")
        for label, headers in impostors.items():
            if portal_route and label == "the portal token":
                continue
            await refusals.expect_refused(
                otp.client, call, label, headers, **body_for(call, bodies)
            )
        if portal_route:
            await refusals.expect_refused(
                otp.client, call, "an HRD officer JWT", hrd, **body_for(call, bodies)
            )
        if call.template == "/v1/reports/readiness":
            own = bearer(signed(local_issuer, "ddo", (office,)))
            await refusals.expect_refused(otp.client, call, "a department JWT", own)
    assert {c.template for c in calls} >= {"/v1/otp/requests", "/v1/reports/readiness"}
    assert refusals.problems == []


# --- certification ----------------------------------------------------------------------

HRD_ONLY = (
    "/v1/certifications/{cert_id}/advice",
    "/v1/certifications/{cert_id}/activate",
    "/v1/certifications/{cert_id}/reject",
    "/v1/audit/verify",
    "/v1/certifications/bulk/advice",
    "/v1/certifications/bulk/activate",
)


@pytest.fixture
async def certification(
    kafka_bootstrap: str, mongodb_uri: str, local_issuer: LocalIssuer
) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    settings = certification_settings(kafka_bootstrap, mongodb_uri, oidc_issuer=local_issuer.issuer)
    await start_at_end(settings)
    app = create_certification(settings)
    async with serving(app, "http://cert") as client:
        yield client, app


async def test_certification_routes_refuse_every_impostor_without_data(
    certification: tuple[httpx.AsyncClient, Any], local_issuer: LocalIssuer
) -> None:
    client, app = certification
    office, other = unique("DDO-A"), unique("DDO-B")
    sub = submission(office)
    await seed(app)
    created = await client.post(
        "/v1/certifications",
        data={"submission": json.dumps(sub)},
        files={"letter": ("letter.pdf", PDF, "application/pdf")},
        headers=bearer(signed(local_issuer, "ddo", (office,))),
    )
    assert created.status_code == 201, created.text
    cert_id = created.json()["id"]
    fill = {"cert_id": cert_id, "office": office, "employee_id": sub["employee_id"]}
    calls = protected_calls(app, fill)
    bodies = {
        "POST /v1/certifications": {
            "data": {"submission": json.dumps(submission(office))},
            "files": {"letter": ("letter.pdf", PDF, "application/pdf")},
        },
        "POST /v1/certifications/{cert_id}/advice": {
            "json": {"advice_number": "HRD/1", "advice_date": date(2026, 2, 25).isoformat()}
        },
        "POST /v1/certifications/{cert_id}/reject": {"json": {"reason": "not genuine"}},
        "POST /v1/certifications/bulk/advice": {
            "json": {"ids": [cert_id], "advice_number": "HRD/1", "advice_date": "2026-02-25"}
        },
        "POST /v1/certifications/bulk/activate": {"json": {"ids": [cert_id]}},
        "POST /v1/certifications/{cert_id}/revoke": {"json": {"reason": "not genuine"}},
    }
    shown = await client.get(f"/v1/certifications/{cert_id}", headers=bearer(signed(local_issuer)))
    assert shown.status_code == 200, "the seeded certification is there for a valid token"

    refusals = Refusals([sub["employee_id"], sub["letter_number"]])
    impostors = jwt_impostors(local_issuer, other, office) | STATIC_IMPOSTORS
    for call in calls:
        for label, headers in impostors.items():
            await refusals.expect_refused(client, call, label, headers, **body_for(call, bodies))
        if call.template in HRD_ONLY:
            for role in ("ddo", "hod", "administrative_secretary"):
                own = bearer(signed(local_issuer, role, (office,)))
                await refusals.expect_refused(
                    client, call, f"a {role} JWT", own, **body_for(call, bodies)
                )
    assert set(HRD_ONLY) <= {c.template for c in calls}
    assert refusals.problems == []


# --- ingest -----------------------------------------------------------------------------

OPEN_TO_EVERY_SOURCE = {"/v1/reports/completeness"}


@pytest.fixture
async def ingest(
    kafka_bootstrap: str, mongodb_uri: str
) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    app = create_ingest(ingest_settings(kafka_bootstrap, mongodb_uri))
    async with serving(app, "http://ingest") as client:
        yield client, app


def hkrnl_csv(hkrnl_id: str, name: str) -> bytes:
    header = (
        "hkrnl_id,name,date_of_birth,date_of_joining,mobile,family_id,department_code,"
        "office_code,post_code,ddo_code,district,monthly_remuneration,employment,scheme,"
        "deployments"
    )
    row = (
        f"{hkrnl_id},{name},12-05-1988,01-04-2016,9812045678,1AB2CD3E,HLT,HLTAMB,P06,"
        "DDO0001,Ambala,18500,full_time,state,01-04-2016:"
    )
    bad = f"{hkrnl_id}X,{name},not-a-date,,,,,,,,,,,,"
    return f"{header}\n{row}\n{bad}\n".encode()


async def test_ingest_routes_refuse_every_impostor_without_data(
    ingest: tuple[httpx.AsyncClient, Any], local_issuer: LocalIssuer
) -> None:
    client, app = ingest
    hkrnl_id, name = unique("HKRN"), unique("Name")
    uploaded = await client.post(
        "/v1/uploads/hkrnl", content=hkrnl_csv(hkrnl_id, name), headers=bearer(TOKENS["hkrnl"])
    )
    assert uploaded.status_code == 200, uploaded.text
    batch_id = uploaded.json()["batch_id"]
    rejected = await client.get(
        f"/v1/batches/{batch_id}/rejections", headers=bearer(TOKENS["hkrnl"])
    )
    assert name in rejected.text, "the seeded rejection is there for the right token"
    calls = protected_calls(app, {"batch_id": batch_id, "source": "hkrnl"})
    body = {"content": hkrnl_csv(unique("HKRN"), name)}

    refusals = Refusals([hkrnl_id, name])
    impostors = (
        jwt_impostors(local_issuer, "B", "A")
        | {k: v for k, v in STATIC_IMPOSTORS.items() if k != "an ingest source token"}
        | {"a source token in another case": bearer(TOKENS["hkrnl"].upper())}
    )
    for call in calls:
        for label, headers in impostors.items():
            await refusals.expect_refused(client, call, label, headers, **body)
        if call.template not in OPEN_TO_EVERY_SOURCE:
            for source in ("ebilling", "master"):
                await refusals.expect_refused(
                    client, call, f"the {source} token", bearer(TOKENS[source]), **body
                )
    assert {c.template for c in calls} >= OPEN_TO_EVERY_SOURCE
    assert refusals.problems == []


# --- notify -----------------------------------------------------------------------------


@pytest.fixture
async def notify_app(
    kafka_bootstrap: str, mongodb_uri: str
) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    settings = notify_settings(kafka_bootstrap, mongodb_uri, "http://127.0.0.1:9").model_copy(
        update={"gateway": "recording"}
    )
    app = create_notify(settings)
    async with serving(app, "http://notify") as client:
        yield client, app


async def test_notify_routes_refuse_every_wrong_report_token(
    notify_app: tuple[httpx.AsyncClient, Any],
) -> None:
    client, app = notify_app
    calls = protected_calls(app, {})
    report = {"msgid": f"{unique('ch')}:1", "status": "DELIVRD"}
    right = await client.post(
        "/v1/delivery-reports", json=report, headers={"X-Report-Token": REPORT_TOKEN}
    )
    assert right.status_code == 200, "the right token is accepted"

    refusals = Refusals([])
    impostors = {
        "no token": {},
        "an empty token": {"X-Report-Token": ""},
        "a wrong token": {"X-Report-Token": REPORT_TOKEN + "x"},
        "a non-ASCII token": {"X-Report-Token": b"t\xf6k\xe9n"},
        "the right token as a bearer": bearer(REPORT_TOKEN),
        "the portal token": {"X-Report-Token": PORTAL_TOKEN},
    }
    for call in calls:
        for label, headers in impostors.items():
            for body in (report, {}):
                await refusals.expect_refused(
                    client, call, f"{label}, body {body}", headers, json=body
                )
    assert refusals.problems == []
