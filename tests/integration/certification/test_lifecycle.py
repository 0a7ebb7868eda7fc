"""A certification moves through every state; only effective ones reach certifications.v1."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from certification import services
from contracts import topics
from tests.factories import unique
from tests.factories.certification import auth, form, submission
from tests.helpers import read_topic

ADVICE = {"advice_number": "HRD/ADV/2026/17", "advice_date": "2026-02-25"}


async def _submit(client: httpx.AsyncClient, office: str, **fields: Any) -> dict[str, Any]:
    response = await client.post(
        "/v1/certifications", data=form(submission(office, **fields)), headers=auth("ddo", office)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _post(client: httpx.AsyncClient, path: str, body: Any = None) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=auth("hrd"))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_a_certification_moves_through_every_state_and_only_effect_and_revocation_publish(
    client: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    office, employee = unique("DDO"), unique("EMP")
    base = "/v1/certifications"
    stays_submitted = await _submit(client, office, employee_id=employee)
    stays_advised = await _submit(client, office, employee_id=employee)
    await _post(client, f"{base}/{stays_advised['id']}/advice", ADVICE)
    rejected = await _submit(client, office, employee_id=employee)
    rejected = await _post(client, f"{base}/{rejected['id']}/reject", {"reason": "no undertaking"})
    cert = await _submit(
        client,
        office,
        employee_id=employee,
        covers=["mobile_changed", "family_id_incorrect"],
        corrected_mobile="7012345678",
        corrected_family_id="ab12cd34",
    )

    advised = await _post(client, f"{base}/{cert['id']}/advice", ADVICE)
    effective = await _post(client, f"{base}/{cert['id']}/activate")
    revoked = await _post(client, f"{base}/{cert['id']}/revoke", {"reason": "wrong employee"})

    assert [c["state"] for c in (cert, advised, effective, revoked)] == [
        "submitted",
        "hrd_advised",
        "effective",
        "revoked",
    ]
    assert [c["version"] for c in (cert, advised, effective, revoked)] == [1, 2, 3, 4]
    assert rejected["state"] == "rejected"
    assert [step["state"] for step in revoked["history"]] == [
        "submitted",
        "hrd_advised",
        "effective",
        "revoked",
    ]
    # All events of one employee share a partition, in order: anything published for the
    # submitted, advised or rejected certifications would come before these two.
    events = await read_topic(
        kafka_bootstrap, topics.CERTIFICATIONS, lambda e: e["employee_id"] == employee, count=2
    )
    took, gone = events
    assert {e["certification_id"] for e in events} == {cert["id"]}
    assert took["event_type"] == "CertificationTookEffect"
    assert took["source_version"] == 3
    assert took["partition_key"] == employee
    assert took["covers"] == ["mobile_changed", "family_id_incorrect"]
    assert took["corrected_mobile"] == "7012345678"
    assert took["corrected_family_id"] == "AB12CD34"
    assert took["hrd_advice_number"] == ADVICE["advice_number"]
    assert took["office_code"] == office
    assert gone["event_type"] == "CertificationRevoked"
    assert gone["source_version"] == 4
    assert gone["reason"] == "wrong employee"
    assert gone["revoked_by_role"] == "hrd"
    still = await client.get(f"{base}/{stays_submitted['id']}", headers=auth("hrd"))
    assert (still.json()["state"], still.json()["published_version"]) == ("submitted", 0)


async def test_an_invalid_transition_is_refused_naming_the_current_state(
    client: httpx.AsyncClient,
) -> None:
    office = unique("DDO")
    cert = await _submit(client, office)

    response = await client.post(f"/v1/certifications/{cert['id']}/activate", headers=auth("hrd"))

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail["current_state"] == "submitted"
    assert "state submitted" in detail["message"]


async def test_the_certifying_office_may_revoke_its_effective_certification(
    client: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    office = unique("DDO")
    cert = await _submit(client, office)
    await _post(client, f"/v1/certifications/{cert['id']}/advice", ADVICE)
    await _post(client, f"/v1/certifications/{cert['id']}/activate")

    response = await client.post(
        f"/v1/certifications/{cert['id']}/revoke",
        json={"reason": "salary now drawn from head 69"},
        headers=auth("ddo", office),
    )

    assert response.status_code == 200
    assert response.json()["revoked_by_role"] == "ddo"
    events = await read_topic(
        kafka_bootstrap,
        topics.CERTIFICATIONS,
        lambda e: e["certification_id"] == cert["id"],
        count=2,
    )
    assert [e["event_type"] for e in events] == ["CertificationTookEffect", "CertificationRevoked"]
    assert events[1]["revoked_by_role"] == "ddo"


async def test_listing_filters_by_office_state_and_employee(client: httpx.AsyncClient) -> None:
    office, employee = unique("DDO"), unique("EMP")
    first = await _submit(client, office, employee_id=employee)
    second = await _submit(client, office)
    await _post(client, f"/v1/certifications/{second['id']}/advice", ADVICE)

    by_state = await client.get(
        "/v1/certifications", params={"office": office, "state": "hrd_advised"}, headers=auth("hrd")
    )
    by_employee = await client.get(
        "/v1/certifications", params={"employee_id": employee}, headers=auth("ddo", office)
    )
    by_office = await client.get("/v1/certifications", headers=auth("ddo", office))

    assert [c["id"] for c in by_state.json()] == [second["id"]]
    assert [c["id"] for c in by_employee.json()] == [first["id"]]
    assert {c["id"] for c in by_office.json()} == {first["id"], second["id"]}


async def test_the_state_gauge_counts_each_state_and_submitted_is_hrds_backlog(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    office = unique("DDO")
    for _ in range(3):
        await _submit(client, office)
    advised = await _submit(client, office)
    await _post(client, f"/v1/certifications/{advised['id']}/advice", ADVICE)

    counts = await services.count_states(app.state.deps)
    page = (await client.get("/metrics")).text

    assert counts == {"submitted": 3, "hrd_advised": 1}
    assert 'certification_certifications{state="submitted"} 3.0' in page
    assert 'certification_certifications{state="hrd_advised"} 1.0' in page
    assert 'certification_certifications{state="effective"} 0.0' in page
