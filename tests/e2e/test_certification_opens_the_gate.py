"""Certification and OTP services together on real Kafka, MongoDB and the identity
provider: a person blocked for a non-contractual head, or for a changed mobile, gets an OTP
once their office's certification carries HRD advice and is made effective, and not before.
Both services learn the person from the same employee record on Kafka."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from certification.app import create_app as create_certification
from contracts import topics
from tests.factories import certification as certs
from tests.factories.otp import person as make_person
from tests.helpers import eventually, serving
from tests.integration.certification.conftest import start_at_end as start_cert_at_end
from tests.integration.otp.conftest import OtpHarness

ADVICE = {"advice_number": "HRD/ADV/2026/31", "advice_date": "2026-02-26"}
OFFICE = "DDO-PKL-03"


@pytest.fixture
async def certification(
    kafka_bootstrap: str, mongodb_uri: str, oidc_issuer: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = certs.settings(kafka_bootstrap, mongodb_uri, oidc_issuer=oidc_issuer)
    await start_cert_at_end(settings)
    app = create_certification(settings)
    async with serving(app, "http://cert") as client:
        yield client


@pytest.fixture
async def otp_shared(
    kafka_bootstrap: str, mongodb_uri: str, mongo: Any
) -> AsyncIterator[OtpHarness]:
    """The OTP service, trusting the same identity provider."""
    from otp.app import create_app
    from tests.integration.otp.conftest import Clock, otp_settings, start_at_end

    settings = otp_settings(kafka_bootstrap, mongodb_uri)
    await start_at_end(settings)
    clock = Clock()
    app = create_app(settings, clock=clock)
    async with serving(app, "http://otp") as client:
        yield OtpHarness(client, settings, clock, kafka_bootstrap, mongo[settings.mongodb_database])


async def _certify(client: httpx.AsyncClient, submission: dict[str, Any]) -> dict[str, Any]:
    certs.PENDING.pop(submission["employee_id"], None)  # the record comes through Kafka

    async def accepted() -> httpx.Response | None:
        answer = await client.post(
            "/v1/certifications", data=certs.form(submission), headers=certs.auth("ddo", OFFICE)
        )
        return answer if answer.status_code != 422 else None  # not consumed yet

    submitted = await eventually(accepted)
    assert submitted.status_code == 201, submitted.text
    cert_id = submitted.json()["id"]
    advised = await client.post(
        f"/v1/certifications/{cert_id}/advice", json=ADVICE, headers=certs.auth("hrd")
    )
    assert advised.status_code == 200, advised.text
    return dict(submitted.json())


async def _activate(client: httpx.AsyncClient, cert_id: str) -> None:
    effective = await client.post(
        f"/v1/certifications/{cert_id}/activate", headers=certs.auth("hrd")
    )
    assert effective.status_code == 200, effective.text
    assert effective.json()["state"] == "effective"


async def test_an_effective_certification_opens_a_gate_closed_by_the_head_of_account(
    certification: httpx.AsyncClient, otp_shared: OtpHarness
) -> None:
    person = make_person(object_codes=("87",), ddo_code=OFFICE)
    await otp_shared.publish(topics.EMPLOYEE_RECORDS, person)
    await otp_shared.view(person.employee_id)
    refused = await otp_shared.request(person.family_id, person.mobile)
    assert [r["code"] for r in refused.json()["reasons"]] == ["non_contractual_head"]

    cert = await _certify(
        certification,
        certs.submission(
            OFFICE,
            employee_id=person.employee_id,
            covers=["non_contractual_head"],
            corrected_mobile=None,
        ),
    )
    advised_only = await otp_shared.request(person.family_id, person.mobile)
    assert advised_only.status_code == 409  # advice alone does not open the gate

    await _activate(certification, cert["id"])
    await otp_shared.view(person.employee_id, version=2)
    sent = await otp_shared.request(person.family_id, person.mobile)
    assert sent.status_code == 202, sent.text
    decision = await otp_shared.client.get(
        f"/v1/employees/{person.employee_id}/decision", headers=certs.auth("ddo", OFFICE)
    )
    assert decision.json()["gate"]["open"] is True


async def test_an_effective_certification_with_a_new_mobile_opens_the_gate_for_it(
    certification: httpx.AsyncClient, otp_shared: OtpHarness
) -> None:
    person = make_person(ddo_code=OFFICE)
    await otp_shared.publish(topics.EMPLOYEE_RECORDS, person)
    await otp_shared.view(person.employee_id)
    new_mobile = make_person().mobile
    assert new_mobile is not None
    refused = await otp_shared.request(person.family_id, new_mobile)
    assert [r["code"] for r in refused.json()["reasons"]] == ["mobile_mismatch"]

    cert = await _certify(
        certification,
        certs.submission(
            OFFICE,
            employee_id=person.employee_id,
            covers=["mobile_changed"],
            corrected_mobile=new_mobile,
        ),
    )
    await _activate(certification, cert["id"])
    await otp_shared.view(person.employee_id, until=lambda view: view["mobile"] == new_mobile)

    assert (await otp_shared.request(person.family_id, new_mobile)).status_code == 202
    old = await otp_shared.request(person.family_id, person.mobile)
    assert [r["code"] for r in old.json()["reasons"]] == ["mobile_mismatch"]
