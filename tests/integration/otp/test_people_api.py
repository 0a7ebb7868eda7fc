"""What the console reads from the OTP service: the reason texts without a token, and one
employee's source data masked, for the officer's own offices only."""

from __future__ import annotations

from contracts import topics
from otp.domain.reasons import REASONS
from tests.factories import unique
from tests.factories.otp import person
from tests.integration.otp.conftest import OtpHarness


async def test_the_reason_texts_are_public_and_in_both_languages(otp: OtpHarness) -> None:
    response = await otp.client.get("/v1/reasons")
    assert response.status_code == 200
    gate = response.json()["gate"]
    assert set(gate) == set(REASONS)
    head = gate["non_contractual_head"]
    assert head["title_hi"] == REASONS["non_contractual_head"].title_hi
    assert head["next_step_en"] == REASONS["non_contractual_head"].next_step_en


async def test_an_officer_reads_the_masked_record_of_an_employee_of_their_office(
    otp: OtpHarness,
) -> None:
    ddo = unique("DDO")
    record = person(ddo_code=ddo, object_codes=("87",), name="Sunita Devi")
    await otp.publish(topics.EMPLOYEE_RECORDS, record)
    await otp.view(record.employee_id)

    path = f"/v1/employees/{record.employee_id}/record"
    response = await otp.client.get(path, headers=otp.officer("ddo", [ddo]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name_initials"] == "S. D."
    assert record.mobile
    assert record.family_id
    assert record.mobile not in response.text
    assert record.family_id not in response.text
    assert body["mobile"].startswith(record.mobile[:2])
    assert "*" in body["mobile"]
    assert body["object_codes"] == ["87"]
    assert body["ddo_code"] == ddo

    other = await otp.client.get(path, headers=otp.officer("ddo", [unique("DDO")]))
    assert other.status_code == 403
    assert "not in your offices" in other.text
    assert (await otp.client.get(path)).status_code == 401
    hrd = await otp.client.get(path, headers=otp.officer("hrd"))
    assert hrd.status_code == 200
