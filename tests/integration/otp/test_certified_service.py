"""An office's certified service completes the decision of an e-Billing employee whose
export starts late, and a revocation takes it away again (real Kafka and MongoDB)."""

from __future__ import annotations

from datetime import date

from contracts import topics
from contracts.ingest import ServicePeriod
from tests.factories.otp import certification, person, revocation
from tests.integration.otp.conftest import OtpHarness


def months(first: date, count: int, object_code: str = "87") -> tuple[ServicePeriod, ...]:
    """Whole paid months from `first` on, as an e-Billing export carries them."""
    periods = []
    year, month = first.year, first.month
    for _ in range(count):
        start = date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = date.fromordinal(date(year, month, 1).toordinal() - 1)
        periods.append(
            ServicePeriod(start=start, end=end, days_paid=end.day, object_code=object_code)
        )
    return tuple(periods)


async def test_certified_service_since_2015_makes_an_undetermined_employee_eligible(
    otp: OtpHarness,
) -> None:
    employee = person(
        joined=date(2015, 4, 1),
        service_periods=months(date(2023, 4, 1), 24),
        object_codes=("87",),
    )
    await otp.publish(topics.EMPLOYEE_RECORDS, employee)
    before = (await otp.view(employee.employee_id))["decision"]["eligibility"]
    assert before["status"] == "undetermined"
    assert [r["code"] for r in before["reasons"]] == ["service_before_data"]

    cert = certification(
        employee.employee_id,
        service_periods=({"start": date(2015, 4, 1), "end": None, "post": "Data Entry Operator"},),
        head_of_account_used="87 - Honorarium",
    )
    await otp.publish(topics.CERTIFICATIONS, cert)
    after = (await otp.view(employee.employee_id, version=2))["decision"]["eligibility"]

    assert after["status"] == "eligible"
    assert (after["qualifying_years"], after["additional_remuneration_percent"]) == (9, 10)
    [reason] = after["reasons"]
    assert reason["code"] == "qualifying_service"
    by_year = {
        (year["from"], year["certification_id"]): year["days"]
        for year in reason["evidence"]["certified_years"]
    }
    assert by_year[("2015-04-01", cert.certification_id)] == 366
    assert by_year[("2022-04-01", cert.certification_id)] == 365
    assert not any(start >= "2023-04-01" for start, _ in by_year)
    assert reason["evidence"]["certified_periods"] == [
        {
            "certification_id": cert.certification_id,
            "from": "2015-04-01",
            "to": "2023-03-31",
            "head_of_account_used": "87 - Honorarium",
        }
    ]

    revoked = revocation(cert, "service details not supported by records")
    await otp.publish(topics.CERTIFICATIONS, revoked)
    again = (await otp.view(employee.employee_id, version=3))["decision"]["eligibility"]

    assert again["status"] == "undetermined"
    assert [r["code"] for r in again["reasons"]] == ["service_before_data"]
    assert "certified_years" not in again["reasons"][0]["evidence"]
