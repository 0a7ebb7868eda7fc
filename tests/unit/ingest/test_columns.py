"""Columns as offices name them: aliases read as their fields whatever the case, spaces or
punctuation; a file without a required column is refused naming it and the names it may
have; columns that name no field are reported, never silently ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.domain import columns, parsing
from ingest.domain.columns import MissingColumnsError
from ingest.domain.model import EmployeeDraft, ParseStats

DOCS = Path(__file__).parents[3] / "docs" / "ingest-sources.md"
ROW = "HK1,Ramesh Kumar,12-05-1988,01-04-2016,98120 45678,ab12cd34,HLT,9999"


def hkrnl(header: str, row: str = ROW) -> tuple[list[object], ParseStats]:
    stats = ParseStats()
    return list(parsing.parse_hkrnl_csv([header, row], stats)), stats


@pytest.mark.parametrize(
    "header",
    [
        "HKRNL ID,Employee Name,DOB,DOJ,Mobile No,PPP Family ID,Dept,Pay Band",
        "hkrnl_id,name,date_of_birth,date_of_joining,Mobile Number,PPP ID,department_code,x",
        "Emp ID,Name,D.O.B.,Date of Joining,MOBILE-NO.,family id,Department Code,x",
        " id , NAME ,Date Of Birth,joining date, mobile  no ,Family ID,DEPT CODE,x",
    ],
)
def test_aliases_of_every_required_column_are_read_as_their_fields(header: str) -> None:
    [draft], stats = hkrnl(header)
    assert isinstance(draft, EmployeeDraft)
    assert (draft.mobile, draft.family_id, draft.department_code) == (
        "9812045678",
        "AB12CD34",
        "HLT",
    )
    assert draft.issues == ()
    assert stats.columns[header.split(",")[4].strip()] == "mobile"
    assert stats.unrecognised_columns == [header.split(",")[7].strip()]
    assert "deployments" in stats.missing_columns


def test_a_file_without_a_mobile_column_is_refused_naming_it_and_its_names() -> None:
    with pytest.raises(MissingColumnsError) as refused:
        hkrnl("hkrnl_id,name,date_of_birth,date_of_joining,Mob. Num,family_id,dept,x")
    [missing] = refused.value.detail()["missing_columns"]
    assert missing["column"] == "mobile"
    assert {"Mobile No", "Mobile Number"} <= set(missing["accepted_names"])
    assert refused.value.detail()["unrecognised_columns"] == ["Mob. Num", "x"]
    assert "no mobile column (name it one of: mobile, Mobile No," in str(refused.value)


@pytest.mark.parametrize(
    ("source", "header", "missing"),
    [
        ("hkrnl", "name,date_of_birth,date_of_joining,mobile,family_id", ["hkrnl_id"]),
        ("ebilling", "employee_code,name,month,days_paid,amount,mobile,family_id", None),
        ("master", "code,name", ["entity_type"]),
    ],
)
def test_every_source_names_its_required_columns(
    source: str, header: str, missing: list[str] | None
) -> None:
    parse = {
        "hkrnl": parsing.parse_hkrnl_csv,
        "ebilling": parsing.parse_ebilling_csv,
        "master": parsing.parse_master,
    }[source]
    with pytest.raises(MissingColumnsError) as refused:
        list(parse([header, "a,b"], ParseStats()))  # type: ignore[operator]
    named = [m["column"] for m in refused.value.missing]
    assert named == (missing or ["date_of_birth", "date_of_joining", "head_of_account"])


def test_a_second_column_of_a_field_is_reported_and_does_not_overwrite_the_first() -> None:
    header = "hkrnl_id,name,date_of_birth,date_of_joining,Mobile No,family_id,dept,mobile"
    [draft], stats = hkrnl(header, ROW.replace(",9999", ",9000000000"))
    assert isinstance(draft, EmployeeDraft)
    assert draft.mobile == "9812045678"
    assert stats.unrecognised_columns == ["mobile"]


def test_an_aadhaar_column_is_dropped_not_reported_as_unrecognised() -> None:
    header = "hkrnl_id,name,date_of_birth,date_of_joining,mobile,family_id,dept,Aadhaar No"
    _, stats = hkrnl(header, ROW.replace(",9999", ",2345 6789 0123"))
    assert stats.unrecognised_columns == []
    assert stats.dropped_columns == ["Aadhaar No"]


def test_json_keys_are_read_by_the_same_names() -> None:
    stats = ParseStats()
    record = {
        "HKRNL ID": "HK9",
        "Name": "Sita",
        "DOB": "01-01-1990",
        "DOJ": "01-04-2016",
        "Mobile No": "9812045678",
        "PPP Family ID": "AB12CD34",
        "colour": "blue",
    }
    [draft] = list(parsing.parse_hkrnl_json([record], stats))
    assert isinstance(draft, EmployeeDraft)
    assert (draft.source_employee_id, draft.mobile, draft.family_id) == (
        "HK9",
        "9812045678",
        "AB12CD34",
    )
    assert stats.unrecognised_columns == ["colour"]


def test_the_docs_list_every_accepted_column_name() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    missing = [
        f"{source}.{column.field}: {name}"
        for source, table in columns.SOURCES.items()
        for column in table
        for name in column.names
        if f"`{name}`" not in docs
    ]
    assert not missing, f"docs/ingest-sources.md lacks {missing}"
