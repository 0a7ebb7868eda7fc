"""Files as offices really export them, uploaded through the ingest API to the real Kafka
and MongoDB and read back as the OTP service decides them (or as ingest rejects them):
service at the edges of a month, columns under their office names, numbers Excel damaged,
amounts in Indian spellings and dates as Excel writes them."""

from __future__ import annotations

import csv
import io
from calendar import monthrange
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from contracts import topics
from ingest.app import create_app as create_ingest
from tests.factories import unique
from tests.factories.ingest import bearer, ingest_settings
from tests.helpers import eventually, serving
from tests.integration.ingest.topic_reading import end_offsets, read_to_end
from tests.integration.otp.conftest import OtpHarness

AS_OF = "2026-02-01T10:00:00+05:30"
EB_HEADER = [
    "Emp Code",
    "Employee Name",
    "DOB",
    "Date of Joining",
    "Mobile No",
    "PPP Family ID",
    "DDO Code",
    "Head of Account",
    "Pay Month",
    "Days Paid",
    "Gross Amount",
]


@pytest.fixture
async def ingest(kafka_bootstrap: str, mongodb_uri: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_ingest(ingest_settings(kafka_bootstrap, mongodb_uri))
    async with serving(app, "http://ingest", timeout=120) as client:
        yield client


@pytest.fixture
async def otp(kafka_bootstrap: str, mongodb_uri: str, mongo: Any) -> AsyncIterator[OtpHarness]:
    from otp.app import create_app
    from tests.integration.otp.conftest import Clock, otp_settings, start_at_end

    settings = otp_settings(kafka_bootstrap, mongodb_uri)
    await start_at_end(settings)
    clock = Clock()
    async with serving(create_app(settings, clock=clock), "http://otp") as client:
        yield OtpHarness(client, settings, clock, kafka_bootstrap, mongo[settings.mongodb_database])


def contact() -> tuple[str, str]:
    """A mobile and Family ID of the test's own."""
    token = int(unique("x").split("-")[1], 16)
    return f"9{token % 10**9:09d}", f"T{token % 10**7:07d}Q"


def months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    return [divmod(i, 12) for i in range(first[0] * 12 + first[1] - 1, last[0] * 12 + last[1])]


def month_text(year: int, index: int) -> str:
    """Pay months the ways clerks' spreadsheets write them, in turn."""
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    spellings = [
        f"{names[index]}-{year}",
        f"{index + 1:02d}-{year}",
        f"{names[index]}-{year % 100:02d}",
        f"{year}-{index + 1:02d}",
    ]
    return spellings[(year + index) % len(spellings)]


def ebilling_csv(
    code: str, joined: str, lines: list[tuple[int, int, int, str]], mobile: str, family: str
) -> bytes:
    """An e-Billing export: one row per (year, month index, days paid, amount)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EB_HEADER)
    for year, index, days, amount in lines:
        writer.writerow(
            [
                code,
                "Sunita Devi",
                "12-May-1985",
                joined,
                mobile,
                family,
                "DDO-HSR-01",
                "2210-01-110-99-69",
                month_text(year, index),
                days,
                amount,
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def full(year: int, index: int) -> int:
    return monthrange(year, index + 1)[1]


async def upload(ingest: httpx.AsyncClient, source: str, body: bytes) -> httpx.Response:
    return await ingest.post(
        f"/v1/uploads/{source}",
        content=body,
        params={"as_of": AS_OF, "file_name": f"{source}.csv"},
        headers={**bearer(source), "Content-Type": "text/csv"},
    )


async def decision(otp: OtpHarness, employee_id: str) -> dict[str, Any]:
    await otp.view(employee_id)
    got = await otp.client.get(f"/v1/employees/{employee_id}/decision", headers=otp.officer("hrd"))
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    return body


def codes(findings: list[dict[str, Any]]) -> list[str]:
    return [finding["code"] for finding in findings]


async def test_a_16_june_joiner_with_a_15_day_june_line_has_5_qualifying_years(
    ingest: httpx.AsyncClient, otp: OtpHarness
) -> None:
    code = unique("E")
    lines = [(2019, 5, 15, "15,000/-")]  # 16-30 Jun 2019
    lines += [(y, m, 20, "Rs. 15,000") for y, m in months((2019, 7), (2020, 5))]
    lines.append((2020, 5, 10, "₹ 15000"))
    lines += [(y, m, full(y, m), "15000.00") for y, m in months((2020, 7), (2024, 8))]
    response = await upload(
        ingest, "ebilling", ebilling_csv(code, "16-Jun-2019", lines, *contact())
    )
    report = response.json()
    assert response.status_code == 200, response.text
    assert (report["received"], report["accepted"], report["rejected"]) == (63, 63, 0)
    assert report["columns"]["Mobile No"] == "mobile"
    assert report["unrecognised_columns"] == []

    decided = await decision(otp, f"ebilling:{code}")
    assert decided["eligibility"]["status"] == "eligible"
    assert decided["eligibility"]["qualifying_years"] == 5
    assert decided["gate"]["open"] is True


async def test_a_0_day_august_line_is_not_in_service_on_the_appointed_date(
    ingest: httpx.AsyncClient, otp: OtpHarness
) -> None:
    code = unique("E")
    lines = [(y, m, full(y, m), "18000") for y, m in months((2015, 4), (2024, 6))]
    lines += [(2024, m, 0, "0") for m in (6, 7, 8)]  # July - September 2024, 0 days
    response = await upload(ingest, "ebilling", ebilling_csv(code, "01-04-2015", lines, *contact()))
    assert response.status_code == 200, response.text

    decided = await decision(otp, f"ebilling:{code}")
    assert decided["eligibility"]["status"] == "not_eligible"
    [reason] = decided["eligibility"]["reasons"]
    assert reason["code"] == "not_in_service_on_appointed_date"
    assert reason["evidence"]["last_paid_day"] == "2024-06-30"


async def test_50000_rupees_50_paise_is_above_the_cap_and_keeps_its_paise(
    ingest: httpx.AsyncClient, otp: OtpHarness, kafka_bootstrap: str
) -> None:
    code = unique("E")
    lines = [(y, m, full(y, m), "45,000") for y, m in months((2016, 4), (2024, 7))]
    lines.append((2024, 7, 31, "50,000.50"))
    since = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    response = await upload(ingest, "ebilling", ebilling_csv(code, "01-04-2016", lines, *contact()))
    assert response.status_code == 200, response.text

    decided = await decision(otp, f"ebilling:{code}")
    [reason] = decided["eligibility"]["reasons"]
    assert reason == {
        "code": "remuneration_above_cap",
        "evidence": {"monthly_remuneration": "50000.50", "cap": 50000},
    }
    [event] = await read_to_end(
        kafka_bootstrap,
        topics.EMPLOYEE_RECORDS,
        lambda e: e.get("employee_id") == f"ebilling:{code}",
        since,
    )
    assert (event["monthly_remuneration_exact"], event["monthly_remuneration"]) == (
        "50000.50",
        50001,
    )


HKRNL_HEADER = "HKRNL ID,Name,DOB,DOJ,{mobile},{family},Deployments,Pay Scale\r\n"


def hkrnl_csv(
    ref: str, mobile: str, family: str, mobile_header: str = "Mobile No", doj: str = "01-Apr-2016"
) -> bytes:
    """One HKRNL row: born on Excel serial 31056.25 (09-01-1985, with a time fraction),
    deployed from 01-Apr-2016 to 31-03-2019 and again from 01-Apr-2019, still deployed."""
    header = HKRNL_HEADER.format(mobile=mobile_header, family="PPP Family ID")
    deployments = "01-04-2016 to 31-03-2019; 01-Apr-2019 - "
    return (
        header + f"{ref},Ramesh Kumar,31056.25,{doj},{mobile},{family},{deployments},L-2\r\n"
    ).encode()


async def test_a_file_headed_mobile_no_is_read_and_excel_spellings_decide_the_person(
    ingest: httpx.AsyncClient, otp: OtpHarness
) -> None:
    ref = unique("HK")
    mobile, family = contact()
    response = await upload(ingest, "hkrnl", hkrnl_csv(ref, f"{mobile}.0", family.lower()))
    report = response.json()
    assert response.status_code == 200, response.text
    assert report["columns"]["Mobile No"] == "mobile"
    assert report["columns"]["PPP Family ID"] == "family_id"
    assert report["unrecognised_columns"] == ["Pay Scale"]
    assert (report["accepted"], report["rejected"]) == (1, 0)

    decided = await decision(otp, f"hkrnl:{ref}")
    assert decided["gate"] == {"open": True, "reasons": []}
    assert decided["eligibility"]["status"] == "eligible"
    assert decided["eligibility"]["qualifying_years"] == 8  # 01 Apr 2016 - 31 Mar 2024
    sent = await otp.request(family, mobile)
    assert sent.status_code == 202, sent.text


async def test_a_file_without_a_mobile_column_is_refused_naming_it_and_nothing_is_published(
    ingest: httpx.AsyncClient, kafka_bootstrap: str
) -> None:
    ref = unique("HK")
    since = await end_offsets(kafka_bootstrap, topics.EMPLOYEE_RECORDS)
    body = hkrnl_csv(ref, *contact(), mobile_header="Mob. Num")
    response = await upload(ingest, "hkrnl", body)

    assert response.status_code == 422
    detail = response.json()["detail"]
    [missing] = detail["missing_columns"]
    assert missing["column"] == "mobile"
    assert "Mobile No" in missing["accepted_names"]
    assert detail["unrecognised_columns"] == ["Mob. Num", "Pay Scale"]
    published = await read_to_end(
        kafka_bootstrap,
        topics.EMPLOYEE_RECORDS,
        lambda e: e.get("employee_id") == f"hkrnl:{ref}",
        since,
    )
    assert published == []


async def test_a_mobile_exported_as_a_number_closes_the_gate_saying_to_export_it_as_text(
    ingest: httpx.AsyncClient, otp: OtpHarness
) -> None:
    ref = unique("HK")
    _, family = contact()
    response = await upload(ingest, "hkrnl", hkrnl_csv(ref, "9.81205E+09", family))
    assert response.status_code == 200, response.text

    decided = await decision(otp, f"hkrnl:{ref}")
    [reason] = decided["gate"]["reasons"]
    assert reason["code"] == "mobile_missing"
    assert reason["evidence"]["issues"] == [
        "mobile: exported as a number; export the column as text"
    ]


async def test_a_date_in_no_accepted_spelling_is_a_reasoned_rejection_of_its_row(
    ingest: httpx.AsyncClient,
) -> None:
    ref = unique("HK")
    response = await upload(ingest, "hkrnl", hkrnl_csv(ref, *contact(), doj="1st April 2016"))
    report = response.json()
    assert (report["received"], report["accepted"], report["rejected"]) == (1, 0, 1)

    async def rejected() -> list[dict[str, Any]]:
        got = await ingest.get(report["rejections_url"], headers=bearer("hkrnl"))
        rows: list[dict[str, Any]] = got.json()
        return rows

    [row] = await eventually(rejected)
    assert row["field"] == "date_of_joining"
    assert row["reason"] == "date_of_joining: '1st April 2016' is not a date (use dd-mm-yyyy)"
