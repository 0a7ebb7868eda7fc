"""Officers sign in at the real Keycloak and what they may certify comes from the source
data: a DDO certifies their own office's employee and is refused another office's (the
attack of issue 14: a DDO of office A, an employee of office B, a corrected mobile) and one
no source holds; an HOD certifies any office of the department; the data moving an employee
shows on the certification."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from contracts import topics
from contracts.ingest import MasterDataChanged
from tests import officers
from tests.factories import master_data, unique
from tests.factories.certification import PENDING, auth, form, source_record, submission
from tests.helpers import eventually, produce, read_topic


def _entity(
    kind: str, code: str, parent_type: str | None = None, parent_code: str | None = None
) -> MasterDataChanged:
    return master_data(
        code,
        entity_type=kind,
        parent_type=parent_type,
        parent_code=parent_code,
        partition_key=f"{kind}:{code}",
    )


def _bearer(officer: officers.Officer) -> dict[str, str]:
    return {"Authorization": f"Bearer {officer.sign_in()}"}


async def test_a_ddo_signs_in_and_certifies_an_employee_of_their_own_office(
    client: httpx.AsyncClient,
) -> None:
    office = unique("DDO")
    ddo = officers.new_officer("ddo", (office,))
    sub = submission(office)

    made = await client.post("/v1/certifications", data=form(sub), headers=_bearer(ddo))

    assert made.status_code == 201, made.text
    cert = made.json()
    assert cert["submitted_by"] == ddo.user_id  # the token's sub: the Keycloak user
    assert cert["placement"]["office_code"] == office
    shown = (await client.get(f"/v1/certifications/{cert['id']}", headers=_bearer(ddo))).json()
    assert shown["placement_now"]["office_code"] == office
    assert shown["moved_since_submission"] is False


async def test_the_attack_a_ddo_certifying_another_offices_employee_fails_at_submission(
    client: httpx.AsyncClient,
) -> None:
    office_a, office_b = unique("DDO-A"), unique("DDO-B")
    ddo_a = officers.new_officer("ddo", (office_a,))
    # the submission claims office A, the data places the employee in office B
    sub = submission(
        office_a,
        placed_in=office_b,
        covers=["mobile_changed"],
        corrected_mobile="9000000001",
    )

    refused = await client.post("/v1/certifications", data=form(sub), headers=_bearer(ddo_a))
    listed_by_b = await client.get("/v1/certifications", headers=auth("ddo", office_b))

    assert refused.status_code == 403, refused.text
    assert refused.json()["detail"]["reason"] == "employee_not_in_your_offices"
    assert office_b in refused.json()["detail"]["message"]
    assert listed_by_b.status_code == 200
    assert listed_by_b.json() == []  # nothing was recorded


async def test_a_ddo_is_refused_for_an_employee_no_source_holds(
    client: httpx.AsyncClient,
) -> None:
    office = unique("DDO")
    sub = submission(office, in_data=False)

    refused = await client.post("/v1/certifications", data=form(sub), headers=auth("ddo", office))

    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"]["reason"] == "employee_not_in_source_data"


async def test_an_hod_certifies_any_office_of_the_department_and_no_other(
    client: httpx.AsyncClient, kafka_bootstrap: str, app: FastAPI
) -> None:
    department, elsewhere = unique("DEP"), unique("DEP")
    office_1, office_2, foreign = unique("OFF"), unique("OFF"), unique("OFF")
    ddo_1, ddo_2, foreign_ddo = unique("DDO"), unique("DDO"), unique("DDO")
    events = [
        _entity("department", department),
        _entity("office", office_1, "department", department),
        _entity("office", office_2, "department", department),
        _entity("office", foreign, "department", elsewhere),
        _entity("ddo", ddo_1, "office", office_1),
        _entity("ddo", ddo_2, "office", office_2),
        _entity("ddo", foreign_ddo, "office", foreign),
    ]
    for event in events:  # through Kafka: the service consumes master-data.v1
        await produce(
            kafka_bootstrap,
            topics.MASTER_DATA,
            event.model_dump_json().encode(),
            event.partition_key.encode(),
        )

    async def known() -> set[str] | None:
        offices: set[str] = await app.state.deps.directory.department_offices(department)
        return offices if {ddo_1, ddo_2} <= offices else None

    assert await eventually(known) == {office_1, office_2, ddo_1, ddo_2}
    hod = officers.new_officer("hod", (), department)
    headers = _bearer(hod)
    answers = []
    for ddo in (ddo_1, ddo_2, foreign_ddo):
        sub = submission(ddo, officer_role="hod")
        answers.append(await client.post("/v1/certifications", data=form(sub), headers=headers))
    mine = await client.get("/v1/certifications", headers=headers)

    assert [a.status_code for a in answers] == [201, 201, 403], [a.text for a in answers]
    assert {c["submission"]["office_code"] for c in mine.json()} == {ddo_1, ddo_2}


async def test_hrd_sees_where_the_data_places_the_employee_now_and_both_mobiles_masked(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    office, later = unique("DDO"), unique("DDO")
    sub = submission(office, covers=["mobile_changed"], corrected_mobile="9123456780")
    made = await client.post("/v1/certifications", data=form(sub), headers=auth("ddo", office))
    assert made.status_code == 201, made.text
    assert sub["employee_id"] not in PENDING  # its record went in with the request
    moved = source_record(sub["employee_id"], later, mobile="9812300077")
    await app.state.deps.directory.apply_record(moved)

    shown = await client.get(f"/v1/certifications/{made.json()['id']}", headers=auth("hrd"))

    view: dict[str, Any] = shown.json()
    assert view["placement"]["office_code"] == office  # at submission
    assert view["placement_now"]["office_code"] == later
    assert view["moved_since_submission"] is True
    assert view["mobile_change"] == {"in_data_masked": "98******77", "new_masked": "91******80"}
    assert "9812300077" not in shown.text


async def test_the_directory_keeps_the_newest_record_of_an_employee(app: FastAPI) -> None:
    directory = app.state.deps.directory
    employee = unique("ebilling:EMP")
    newer = source_record(employee, unique("DDO"), source_version=2_000)
    older = source_record(employee, unique("DDO"), source_version=1_000)

    assert await directory.apply_record(newer) is True
    assert await directory.apply_record(older) is False  # an older file never overwrites
    assert await directory.apply_record(newer) is False  # a redelivery changes nothing
    placed = await directory.placement(employee)
    assert placed.office_code == newer.ddo_code
    assert placed.mobile_masked.count("*") == 6  # only a masked mobile is kept


async def test_a_batch_of_records_keeps_the_newest_of_each_employee_whatever_its_order(
    app: FastAPI,
) -> None:
    directory = app.state.deps.directory
    first, second = unique("ebilling:EMP"), unique("ebilling:EMP")
    newer = source_record(first, unique("DDO"), source_version=2_000)
    older = source_record(first, unique("DDO"), source_version=1_000)
    other = source_record(second, unique("DDO"), source_version=1_000)

    assert await directory.apply_records([newer, older, other]) == 2  # the older one misses
    assert await directory.apply_records([older, newer, other]) == 0  # a replay: nothing
    assert (await directory.placement(first)).office_code == newer.ddo_code
    assert (await directory.placement(second)).office_code == other.ddo_code


async def test_a_record_no_document_can_hold_is_dead_lettered_and_the_batch_is_applied(
    app: FastAPI, cert_settings: Any
) -> None:
    """A version past 64 bits fits the contract but not MongoDB: that record goes to the
    DLQ naming the field, and the records beside it in the batch are applied."""
    directory = app.state.deps.directory
    bootstrap = cert_settings.kafka_bootstrap_servers
    poison_id, good_id = unique("ebilling:EMP"), unique("ebilling:EMP")
    poison = source_record(poison_id, unique("DDO"), source_version=1).model_dump_json()
    poison = poison.replace('"source_version":1', f'"source_version":{2**64}')
    await produce(bootstrap, topics.EMPLOYEE_RECORDS, poison.encode(), poison_id.encode())
    good = source_record(good_id, unique("DDO"), source_version=1)
    await produce(
        bootstrap, topics.EMPLOYEE_RECORDS, good.model_dump_json().encode(), good_id.encode()
    )

    placed = await eventually(lambda: directory.placement(good_id))
    assert placed.office_code == good.ddo_code
    assert await directory.placement(poison_id) is None
    await read_topic(
        bootstrap,
        topics.dlq(topics.EMPLOYEE_RECORDS),
        lambda m: m.get("source_key") == poison_id and m.get("field") == "source_version",
    )
