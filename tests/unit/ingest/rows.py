"""Source rows for the parser tests: the HKRNL header and a row, an e-Billing line, the
sample files, the parsers called on them as of one date, and a file's bytes cut into
chunks as an upload arrives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ingest.domain import parsing
from ingest.domain.model import EmployeeDraft, ParseStats, Rejection

DATA = Path(__file__).parents[2] / "data" / "ingest"
AS_OF = date(2024, 8, 15)
HKRNL_HEADER = (
    "hkrnl_id,name,date_of_birth,date_of_joining,mobile,family_id,department_code,office_code,"
    "post_code,ddo_code,district,monthly_remuneration,employment,scheme,deployments"
)
EB_HEADER = (
    "employee_code,name,ddo_code,treasury,head_of_account,month,days_paid,amount,mobile,"
    "family_id,date_of_birth,date_of_joining,department_code"
)


def hkrnl_row(hid: str = "HK1", name: str = "Ramesh Kumar", extra: str = "") -> str:
    return (
        f"{hid},{name},12-05-1988,01-04-2016,9812045678,AB12CD34,HLT,HLTAMB,P06,DDO0001,"
        f"Ambala,18500,full_time,state,01-04-2016:31-03-2020;01-04-2020:{extra}"
    )


def eb_line(code: str, month: str, obj: str = "69", days: str = "30", amount: str = "15000") -> str:
    return (
        f"{code},Sita Devi,DDO0001,Ambala,2210-01-110-99-{obj},{month},{days},{amount},"
        "9812345670,AB12CD34,1987-04-10,01-04-2015,HLT"
    )


def parse_hkrnl(text: str, stats: ParseStats) -> list[EmployeeDraft | Rejection]:
    return list(parsing.parse_hkrnl_csv(text.splitlines(), stats, as_of=AS_OF))


def parse_eb(lines: list[str], stats: ParseStats) -> list[EmployeeDraft | Rejection]:
    return list(parsing.parse_ebilling_csv([EB_HEADER, *lines], stats))


def chunked(data: bytes, size: int) -> Iterator[bytes]:
    return (data[i : i + size] for i in range(0, len(data), size))
