"""Decisions as officers read them from the OTP service on real Kafka and MongoDB: a DDO
sees those of their own offices only, an HoD those of every office of the department (by
master data), HRD all of them; and the evaluate CLI gives the same decisions as the API."""

from __future__ import annotations

import json
import subprocess
import sys

from contracts import topics
from tests.factories import master_data, unique
from tests.factories.otp import person
from tests.helpers import eventually
from tests.integration.otp.conftest import OtpHarness


async def test_departments_see_decisions_of_their_own_offices_only(otp: OtpHarness) -> None:
    employee = person(ddo_code="DDO-KNL-07")
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    await otp.view(employee.employee_id)
    path = f"/v1/employees/{employee.employee_id}/decision"

    own = await otp.client.get(path, headers=otp.officer("ddo", ["DDO-KNL-07"]))
    other = await otp.client.get(path, headers=otp.officer("ddo", ["DDO-HSR-01"]))
    hrd = await otp.client.get(path, headers=otp.officer("hrd"))
    anonymous = await otp.client.get(path)

    assert own.status_code == 200
    assert own.json()["eligibility"]["status"] == "eligible"
    assert other.status_code == 403
    assert hrd.json() == own.json()
    assert anonymous.status_code == 401


async def test_an_hod_sees_the_decisions_of_every_office_of_the_department(
    otp: OtpHarness,
) -> None:
    department, office, ddo, foreign = unique("DEP"), unique("OFF"), unique("DDO"), unique("DDO")
    for event in (
        master_data(
            office,
            entity_type="office",
            parent_type="department",
            parent_code=department,
            partition_key=f"office:{office}",
        ),
        master_data(ddo, parent_type="office", parent_code=office),
    ):
        await otp.publish(topics.MASTER_DATA, event)
    mine, theirs = (
        person(ddo_code=ddo, office_code=None),
        person(ddo_code=foreign, office_code=None),
    )
    for employee in (mine, theirs):
        await otp.publish(topics.EMPLOYEE_RECORDS, employee)
        await otp.view(employee.employee_id)
    hod = otp.officer("hod", department=department)

    async def resolved() -> bool | None:
        answer = await otp.client.get(f"/v1/employees/{mine.employee_id}/decision", headers=hod)
        return True if answer.status_code == 200 else None  # once the master data is in

    assert await eventually(resolved)
    other = await otp.client.get(f"/v1/employees/{theirs.employee_id}/decision", headers=hod)
    assert other.status_code == 403


async def test_the_evaluate_cli_gives_the_same_decisions_as_the_api(otp: OtpHarness) -> None:
    employees = [
        person(),
        person(object_codes=("33",)),
        person(employment="part_time"),
        person(date_of_joining=None),
    ]
    for employee in employees:
        await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    api = []
    for employee in employees:
        await otp.view(employee.employee_id)
        got = await otp.client.get(
            f"/v1/employees/{employee.employee_id}/decision", headers=otp.officer("hrd")
        )
        api.append(got.json())

    done = subprocess.run(
        [sys.executable, "-m", "otp", "evaluate"],
        input="".join(e.model_dump_json() + "\n" for e in employees),
        capture_output=True,
        text=True,
        check=True,
    )
    assert [json.loads(line) for line in done.stdout.splitlines()] == api
