"""Aadhaar numbers in source rows: a column named for them, or holding only 12-digit
values, is dropped and counted (a +91 mobile column is none); a number anywhere else (a
name, a district, any column, a column's name, the mobile column, a rejected row's raw
values, e-Billing and master rows) is redacted and reported, and an id holding one rejects
its row. A 12-digit number failing the check digit is kept as sent."""

from __future__ import annotations

from ingest.domain import parsing
from ingest.domain.model import EmployeeDraft, MasterEntity, ParseStats, Rejection
from servicekit.aadhaar import REDACTED
from tests.factories.aadhaar import grouped, invalid_aadhaar, valid_aadhaar
from tests.unit.ingest.rows import HKRNL_HEADER, eb_line, hkrnl_row, parse_eb, parse_hkrnl


def test_an_aadhaar_column_named_so_is_dropped_and_counted() -> None:
    header = HKRNL_HEADER.replace("name,", "name,Aadhaar Number,", 1)
    row = hkrnl_row(name="X,234567890123")
    bad = hkrnl_row("HK2", name=",345678901234")
    stats = ParseStats()
    results = parse_hkrnl(f"{header}\n{row}\n{bad}", stats)
    assert stats.dropped_columns == ["Aadhaar Number"]
    assert "234567890123" not in repr(results)
    assert "345678901234" not in repr(results)


def test_an_unnamed_column_of_12_digit_values_is_dropped_by_value() -> None:
    header = f"{HKRNL_HEADER},ref"
    rows = [hkrnl_row(f"HK{i}", extra=f",{i + 2}234 5678 9012") for i in range(3)]
    stats = ParseStats()
    results = parse_hkrnl("\n".join([header, *rows]), stats)
    assert stats.dropped_columns == ["ref"]
    assert "5678 9012" not in repr(results)


def test_a_mobile_column_with_plus_91_is_not_taken_for_aadhaar() -> None:
    row = hkrnl_row().replace("9812045678", "919812045678")
    stats = ParseStats()
    (draft,) = parse_hkrnl(f"{HKRNL_HEADER}\n{row}", stats)
    assert stats.dropped_columns == []
    assert isinstance(draft, EmployeeDraft)
    assert draft.mobile == "9812045678"


def test_a_stray_aadhaar_value_in_a_rejected_row_is_redacted_in_raw() -> None:
    number = grouped(valid_aadhaar("stray"))
    rows = [hkrnl_row(f"HK{i}") for i in range(3)] + [
        hkrnl_row("HK9", name="").replace("Ambala", number)
    ]
    results = parse_hkrnl("\n".join([HKRNL_HEADER, *rows]), ParseStats())
    rejection = results[-1]
    assert isinstance(rejection, Rejection)
    assert rejection.raw["district"] == REDACTED
    assert rejection.aadhaar_redacted == {"district": 1}
    assert number[5:9] not in repr(results)


def test_an_aadhaar_number_typed_into_the_mobile_column_is_neither_kept_nor_used() -> None:
    rows = [hkrnl_row(f"HK{i}") for i in range(3)]
    rows.append(hkrnl_row("HK9").replace("9812045678", "2345 6789 0123"))
    stats = ParseStats()
    results = parse_hkrnl("\n".join([HKRNL_HEADER, *rows]), stats)
    last = results[-1]
    assert isinstance(last, EmployeeDraft)
    assert last.mobile is None
    assert [i.field for i in last.issues] == ["mobile"]
    assert "6789" not in repr(results)


def test_aadhaar_numbers_inside_names_districts_and_any_column_are_redacted_and_reported() -> None:
    one, two = valid_aadhaar("name"), grouped(valid_aadhaar("district"))
    header = f"{HKRNL_HEADER},remarks"
    row = hkrnl_row(name=f"Ramesh {one}").replace("Ambala", f"Aadhaar {two}")
    stats = ParseStats()
    (draft,) = parse_hkrnl(f"{header}\n{row},uid {one}", stats)
    assert isinstance(draft, EmployeeDraft)
    assert draft.name == f"Ramesh {REDACTED}"
    assert draft.district == f"Aadhaar {REDACTED}"
    assert {i.field: i.reason for i in draft.issues if "aadhaar" in i.reason} == {
        "name": "name: aadhaar_redacted 1",
        "district": "district: aadhaar_redacted 1",
        "remarks": "remarks: aadhaar_redacted 1",
    }
    assert stats.aadhaar_redacted == {"name": 1, "district": 1, "remarks": 1}
    assert one not in repr(draft)
    assert two not in repr(draft)


def test_a_twelve_digit_number_failing_the_check_is_kept_as_sent() -> None:
    number = invalid_aadhaar("kept")
    stats = ParseStats()
    (draft,) = parse_hkrnl(f"{HKRNL_HEADER}\n{hkrnl_row(name=f'Ramesh {number}')}", stats)
    assert isinstance(draft, EmployeeDraft)
    assert draft.name == f"Ramesh {number}"
    assert stats.aadhaar_redacted == {}
    assert not [i for i in draft.issues if "aadhaar" in i.reason]


def test_ebilling_and_master_rows_are_redacted_too() -> None:
    number = valid_aadhaar("eb")
    line = eb_line("E1", "05-2024").replace("Sita Devi", f"Sita {number}")
    stats = ParseStats()
    (draft,) = parse_eb([line, eb_line("E1", "06-2024")], stats)
    assert isinstance(draft, EmployeeDraft)
    assert number not in repr(draft)
    assert ("name", "name: aadhaar_redacted 1") in [(i.field, i.reason) for i in draft.issues]
    master = ParseStats()
    text = f"entity_type,code,name\nddo,D1,DDO {grouped(number, '-')}\n"
    (entity,) = list(parsing.parse_master(text.splitlines(), master))
    assert isinstance(entity, MasterEntity)
    assert entity.name == f"DDO {REDACTED}"
    assert master.aadhaar_redacted == {"name": 1}


def test_a_number_in_a_column_name_is_redacted_in_the_report() -> None:
    number = valid_aadhaar("header")
    stats = ParseStats()
    results = parse_hkrnl(f"{HKRNL_HEADER},{number}\n{hkrnl_row()},x", stats)
    assert number not in repr(results)
    assert stats.aadhaar_redacted["header"] == 1


def test_an_id_holding_an_aadhaar_number_rejects_its_row() -> None:
    number = valid_aadhaar("id")
    stats = ParseStats()
    (rejection,) = parse_hkrnl(f"{HKRNL_HEADER}\n{hkrnl_row(hid=f'HK {number}')}", stats)
    assert isinstance(rejection, Rejection)
    assert rejection.field == "hkrnl_id"
    assert "Aadhaar-like" in rejection.reason
    assert rejection.employee_ref == f"HK {REDACTED}"
