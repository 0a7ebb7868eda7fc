"""The parsers at their edges: encodings, Aadhaar columns, counts, aggregation, samples."""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ingest.domain import parsing
from ingest.domain.encoding import EncodingError, UnknownEncodingError, check_encoding, declared
from ingest.domain.model import EmployeeDraft, MasterEntity, ParseStats, Rejection
from servicekit.aadhaar import REDACTED
from tests.factories.aadhaar import grouped, invalid_aadhaar, valid_aadhaar

DATA = Path(__file__).parents[2] / "data" / "ingest"
AS_OF = date(2024, 8, 15)
MOBILES = ("9812045678", "9812045679", "9812045670")
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


def parse_hkrnl_lines(lines: Iterator[str]) -> list[EmployeeDraft | Rejection]:
    return list(parsing.parse_hkrnl_csv(lines, ParseStats(), as_of=AS_OF))


def parse_eb(lines: list[str], stats: ParseStats) -> list[EmployeeDraft | Rejection]:
    return list(parsing.parse_ebilling_csv([EB_HEADER, *lines], stats))


def chunked(data: bytes, size: int) -> Iterator[bytes]:
    return (data[i : i + size] for i in range(0, len(data), size))


def test_bom_crlf_and_chunks_split_inside_a_hindi_letter_decode_cleanly() -> None:
    text = f"{HKRNL_HEADER}\r\n{hkrnl_row(name='राम कुमार')}\r\n"
    data = "\ufeff".encode() + text.encode()
    lines = list(parsing.read_text_lines(chunked(data, 7)))
    assert lines == [HKRNL_HEADER, hkrnl_row(name="राम कुमार")]


def test_a_last_line_without_newline_is_read() -> None:
    assert list(parsing.read_text_lines([b"a,b\nc,d"])) == ["a,b", "c,d"]


def test_an_hkrnl_row_becomes_a_normalised_draft_with_deployment_periods() -> None:
    stats = ParseStats()
    (draft,) = parse_hkrnl(f"{HKRNL_HEADER}\n{hkrnl_row()}", stats)
    assert isinstance(draft, EmployeeDraft)
    assert draft.employee_id() == "hkrnl:HK1"
    assert draft.part == "I"
    assert draft.row_number == 1
    assert [(p.start, p.end, p.days_paid) for p in draft.service_periods] == [
        (date(2016, 4, 1), date(2020, 3, 31), 1461),
        (date(2020, 4, 1), AS_OF, (AS_OF - date(2020, 4, 1)).days + 1),
    ]
    assert (stats.received, stats.accepted, stats.rejected) == (1, 1, 0)


def test_names_in_hindi_come_out_nfc() -> None:
    decomposed = "मोह\u0928\u093c लाल"
    assert unicodedata.normalize("NFC", decomposed) != decomposed
    (draft,) = parse_hkrnl(f"{HKRNL_HEADER}\n{hkrnl_row(name=decomposed)}", ParseStats())
    assert isinstance(draft, EmployeeDraft)
    assert draft.name == "मोह\u0929 लाल"


def test_a_bad_mobile_keeps_the_record_with_an_issue() -> None:
    row = hkrnl_row().replace("9812045678", "12345")
    (draft,) = parse_hkrnl(f"{HKRNL_HEADER}\n{row}", ParseStats())
    assert isinstance(draft, EmployeeDraft)
    assert draft.mobile is None
    assert [i.field for i in draft.issues] == ["mobile"]


def test_a_row_with_the_wrong_column_count_is_rejected_as_a_row() -> None:
    stats = ParseStats()
    (rejection,) = parse_hkrnl(f"{HKRNL_HEADER}\n{hkrnl_row(extra=',surplus')}", stats)
    assert isinstance(rejection, Rejection)
    assert (rejection.field, rejection.row_number, rejection.employee_ref) == ("row", 1, "HK1")
    assert (stats.received, stats.accepted, stats.rejected) == (1, 0, 1)


def test_rejections_are_numbered_from_the_first_data_row_and_blank_lines_skipped() -> None:
    text = f"{HKRNL_HEADER}\n{hkrnl_row()}\n\n{hkrnl_row('HK2', name='')}\n"
    results = parse_hkrnl(text, ParseStats())
    rejection = results[1]
    assert isinstance(rejection, Rejection)
    assert (rejection.row_number, rejection.field, rejection.reason) == (
        2,
        "name",
        "name: is missing",
    )


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


def test_ebilling_lines_anywhere_in_the_file_aggregate_per_employee() -> None:
    lines = [
        eb_line("E1", "05-2024"),
        eb_line("E2", "05-2024"),
        eb_line("E1", "07-2024", "01", "31", "16500"),
        eb_line("E1", "06-2024", "87", "29"),
    ]
    stats = ParseStats()
    drafts = {
        d.source_employee_id: d for d in parse_eb(lines, stats) if isinstance(d, EmployeeDraft)
    }
    e1 = drafts["E1"]
    assert e1.employee_id() == "ebilling:E1"
    assert e1.part == "II"
    assert e1.row_number == 1
    assert [(p.start, p.end, p.days_paid, p.object_code) for p in e1.service_periods] == [
        (date(2024, 5, 1), date(2024, 5, 31), 30, "69"),
        (date(2024, 6, 1), date(2024, 6, 30), 29, "87"),
        (date(2024, 7, 1), date(2024, 7, 31), 31, "01"),
    ]
    assert e1.object_codes == ("01", "69", "87")
    assert e1.monthly_remuneration == 16500
    assert (stats.received, stats.accepted, stats.rejected, stats.employees) == (4, 4, 0, 2)


def test_one_bad_ebilling_line_rejects_that_line_only() -> None:
    lines = [
        eb_line("E1", "05-2024"),
        eb_line("E1", "06-2024", days="35"),
        eb_line("E1", "07-2024", amount="-1"),
    ]
    stats = ParseStats()
    results = parse_eb(lines, stats)
    rejections = [r for r in results if isinstance(r, Rejection)]
    assert [(r.row_number, r.field, r.employee_ref) for r in rejections] == [
        (2, "days_paid", "E1"),
        (3, "amount", "E1"),
    ]
    (draft,) = [d for d in results if isinstance(d, EmployeeDraft)]
    assert len(draft.service_periods) == 1
    assert draft.monthly_remuneration == 15000
    assert (stats.received, stats.accepted, stats.rejected, stats.employees) == (3, 1, 2, 1)


def test_days_paid_beyond_the_months_length_are_rejected_naming_field_and_month() -> None:
    lines = [
        eb_line("E1", "02-2024", days="30"),
        eb_line("E1", "02-2024", days="29"),
        eb_line("E1", "02-2023", days="29"),
        eb_line("E1", "04-2024", days="31"),
    ]
    results = parse_eb(lines, ParseStats())
    rejections = [r for r in results if isinstance(r, Rejection)]
    assert [(r.row_number, r.field) for r in rejections] == [
        (1, "days_paid"),
        (3, "days_paid"),
        (4, "days_paid"),
    ]
    assert rejections[0].reason == "days_paid: 30 is more than the 29 days of Feb 2024"
    assert rejections[2].reason == "days_paid: 31 is more than the 30 days of Apr 2024"


def test_lines_of_the_latest_month_add_up_to_its_remuneration() -> None:
    lines = [eb_line("E1", "07-2024", amount="10000"), eb_line("E1", "07-2024", amount="2500")]
    (draft,) = parse_eb(lines, ParseStats())
    assert isinstance(draft, EmployeeDraft)
    assert draft.monthly_remuneration == 12500


def test_hkrnl_json_push_takes_deployment_lists_and_drops_aadhaar_keys() -> None:
    records = json.loads((DATA / "hkrnl-push.json").read_text(encoding="utf-8"))
    stats = ParseStats()
    drafts = list(parsing.parse_hkrnl_json(records, stats, as_of=AS_OF))
    assert stats.dropped_columns == ["aadhaar"]
    assert "5678 1234 9012" not in repr(drafts)
    first = drafts[0]
    assert isinstance(first, EmployeeDraft)
    assert [p.end for p in first.service_periods] == [date(2022, 3, 31), AS_OF]


def test_master_rows_become_entities_with_parent_links() -> None:
    stats = ParseStats()
    lines = (DATA / "master-sample.csv").read_text(encoding="utf-8").splitlines()
    results = list(parsing.parse_master(lines, stats))
    office = next(e for e in results if isinstance(e, MasterEntity) and e.code == "HLTAMB")
    assert (office.entity_type, office.parent_type, office.parent_code) == (
        "office",
        "department",
        "HLT",
    )
    ddo = next(e for e in results if isinstance(e, MasterEntity) and e.code == "DDO0029")
    assert ddo.active is False
    assert [r.reason for r in results if isinstance(r, Rejection)] == ["name: is missing"]


def test_master_json_with_a_missing_code_is_rejected_with_a_reason() -> None:
    records = json.loads((DATA / "master-sample.json").read_text(encoding="utf-8"))
    stats = ParseStats()
    results = list(parsing.parse_master_json(records, stats))
    assert [r.reason for r in results if isinstance(r, Rejection)] == ["code: is missing"]
    assert (stats.received, stats.accepted, stats.rejected) == (3, 2, 1)


def test_the_samples_parse_to_the_counts_their_docs_state() -> None:
    expected = {
        "hkrnl-sample.csv": (7, 4, 3),
        "ebilling-sample.csv": (7, 5, 2),
        "master-sample.csv": (8, 7, 1),
    }
    parsers = {
        "hkrnl-sample.csv": parsing.parse_hkrnl_csv,
        "ebilling-sample.csv": parsing.parse_ebilling_csv,
        "master-sample.csv": parsing.parse_master,
    }
    for name, parse in parsers.items():
        stats = ParseStats()
        data = (DATA / name).read_bytes()
        results = list(parse(parsing.read_text_lines(chunked(data, 64)), stats))
        assert (stats.received, stats.accepted, stats.rejected) == expected[name], name
        assert all(r.reason and r.field for r in results if isinstance(r, Rejection))


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


def test_an_open_deployment_ends_at_the_as_of_date_so_a_resent_file_is_unchanged() -> None:
    text = f"{HKRNL_HEADER}\n{hkrnl_row()}"
    first = parse_hkrnl(text, ParseStats())
    again = parse_hkrnl(text, ParseStats())
    assert first == again
    (draft,) = first
    assert isinstance(draft, EmployeeDraft)
    assert draft.service_periods[-1].end == AS_OF


def test_an_unclosed_quote_that_swallows_the_file_is_one_reasoned_rejection() -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    lines = [HKRNL_HEADER, f'HK1,"{huge}', hkrnl_row("HK2")]
    stats = ParseStats()
    results = parse_hkrnl("\n".join(lines), stats)
    assert [r.field for r in results if isinstance(r, Rejection)] == ["row"]
    assert "not readable CSV" in repr(results)
    assert stats.received == stats.accepted + stats.rejected


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


def test_rows_of_one_id_with_other_values_are_conflicting_duplicates_naming_the_first() -> None:
    rows = [hkrnl_row("HK7").replace("9812045678", mobile) for mobile in MOBILES]
    stats = ParseStats()
    first, *others = parse_hkrnl("\n".join([HKRNL_HEADER, *rows]), stats)
    assert isinstance(first, EmployeeDraft)
    assert first.mobile == MOBILES[0]
    assert [(r.row_number, r.field) for r in others if isinstance(r, Rejection)] == [
        (2, "hkrnl_id"),
        (3, "hkrnl_id"),
    ]
    for rejection in others:
        assert isinstance(rejection, Rejection)
        assert rejection.reason.startswith("hkrnl_id: conflicting_duplicate: row 1 ")
        assert rejection.reason.endswith("(mobile)")
    assert (stats.received, stats.accepted, stats.rejected) == (3, 1, 2)


def test_identical_rows_of_one_id_are_both_accepted() -> None:
    stats = ParseStats()
    results = parse_hkrnl("\n".join([HKRNL_HEADER, hkrnl_row("HK8"), hkrnl_row("HK8")]), stats)
    assert all(isinstance(r, EmployeeDraft) for r in results)
    assert (stats.accepted, stats.rejected) == (2, 0)


def test_master_rows_of_one_code_that_disagree_are_conflicting_duplicates() -> None:
    text = "entity_type,code,name\nddo,D1,First\nddo,D1,First\nddo,D1,Second\npost,D1,Other\n"
    stats = ParseStats()
    results = list(parsing.parse_master(text.splitlines(), stats))
    rejected = [r for r in results if isinstance(r, Rejection)]
    assert [(r.row_number, r.reason) for r in rejected] == [
        (
            3,
            "code: conflicting_duplicate: row 1 has the same code 'ddo:D1'"
            " with other values (name)",
        )
    ]
    assert stats.accepted == 3


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_every_line_ending_parses_and_a_lone_cr_does_not_merge_rows(ending: str) -> None:
    data = ending.join([HKRNL_HEADER, hkrnl_row("HK1"), hkrnl_row("HK2"), ""]).encode()
    for size in (1, 2, 7, len(data)):
        lines = list(parsing.read_text_lines(chunked(data, size)))
        assert lines == [HKRNL_HEADER, hkrnl_row("HK1"), hkrnl_row("HK2")]
    stats = ParseStats()
    drafts = list(parsing.parse_hkrnl_csv(iter(lines), stats, as_of=AS_OF))
    assert [d.source_employee_id for d in drafts if isinstance(d, EmployeeDraft)] == ["HK1", "HK2"]


def test_a_file_that_is_not_utf8_is_refused_naming_the_line() -> None:
    data = "\n".join([HKRNL_HEADER, hkrnl_row("HK1"), hkrnl_row("HK2", name="José")]).encode(
        "latin-1"
    )
    with pytest.raises(EncodingError) as refused:
        check_encoding(chunked(data, 64))
    assert refused.value.line == 3
    assert "not UTF-8: byte 0xE9 on line 3" in str(refused.value)


@pytest.mark.parametrize("tail", [b"\xef", b"\xef\xbb", b"\xe0\xa4", b"\xf0\x9f\x98"])
@pytest.mark.parametrize("head", [b"", b"\xef\xbb\xbf", HKRNL_HEADER.encode() + b"\r\n"])
def test_a_file_that_ends_inside_a_character_is_refused_naming_the_line(
    head: bytes, tail: bytes
) -> None:
    data = head + tail
    line = 2 if head.endswith(b"\n") else 1
    for size in (1, 2, len(data)):
        with pytest.raises(EncodingError) as refused:
            check_encoding(chunked(data, size))
        assert refused.value.line == line
        with pytest.raises(EncodingError) as refused:
            list(parsing.read_text_lines(chunked(data, size)))
        assert refused.value.line == line
        assert f"on line {line} cannot be decoded" in str(refused.value)


def test_a_byte_order_mark_is_dropped_however_the_file_is_cut() -> None:
    data = b"\xef\xbb\xbf" + HKRNL_HEADER.encode() + b"\n\xef\xbb\xbfx"
    for size in (1, 2, 3, len(data)):
        check_encoding(chunked(data, size))
        assert list(parsing.read_text_lines(chunked(data, size))) == [HKRNL_HEADER, "\ufeffx"]


def test_a_declared_encoding_is_decoded() -> None:
    data = "\n".join([HKRNL_HEADER, hkrnl_row("HK1", name="José")]).encode("latin-1")
    encoding = declared("text/csv; charset=ISO-8859-1")
    check_encoding([data], encoding)
    (draft,) = parse_hkrnl_lines(parsing.read_text_lines([data], encoding))
    assert isinstance(draft, EmployeeDraft)
    assert draft.name == "José"
    with pytest.raises(UnknownEncodingError):
        declared("text/csv; charset=klingon")


def test_two_different_charsets_are_refused_and_a_repeated_one_is_read() -> None:
    for header in (
        "text/csv; charset=utf-8; charset=latin-1",
        "text/csv;charset=cp1252;charset=utf8",
    ):
        with pytest.raises(UnknownEncodingError, match="declared more than once"):
            declared(header)
    assert declared("text/csv; charset=latin-1; charset=ISO-8859-1") == "iso8859-1"
    assert declared("text/csv; charset=UTF-8; charset=utf8") == "utf-8-sig"


@pytest.mark.parametrize(
    "charset",
    ["unicode_escape", "raw-unicode-escape", "UTF-7", "idna", "punycode", "undefined", "rot13"],
)
def test_a_codec_no_file_is_written_in_is_refused_as_a_charset(charset: str) -> None:
    with pytest.raises(UnknownEncodingError, match="is not a text encoding"):
        declared(f"text/csv; charset={charset}")


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\x1b[2J"])
def test_control_characters_and_lone_surrogates_reject_their_field(bad: str) -> None:
    stats = ParseStats()
    records = [{"hkrnl_id": "HK1", "name": f"Ram{bad}", "date_of_birth": "12-05-1988"}]
    (rejection,) = list(parsing.parse_hkrnl_json(records, stats, as_of=AS_OF))
    assert isinstance(rejection, Rejection)
    assert rejection.field == "name"
    assert rejection.reason.startswith("name: ")
    assert "character 4" in rejection.reason
    assert rejection.raw["name"].startswith("Ram<U+")
    csv_stats = ParseStats()
    (row,) = parse_hkrnl(f"{HKRNL_HEADER}\n{hkrnl_row(name=f'Ram{bad}')}", csv_stats)
    assert isinstance(row, Rejection)
    assert row.field == "name"


def test_a_value_nested_past_the_limit_rejects_its_row() -> None:
    deep: list[object] = []
    for _ in range(900):
        deep = [deep]
    stats = ParseStats()
    records = [{"hkrnl_id": "HK1", "name": "Ram", "deployments": deep}]
    (rejection,) = list(parsing.parse_hkrnl_json(records, stats, as_of=AS_OF))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "row: deployments nests 901 levels deep; at most 3"


def test_a_field_past_its_length_limit_rejects_its_row_and_is_kept_clipped() -> None:
    stats = ParseStats()
    (rejection,) = parse_hkrnl(f"{HKRNL_HEADER}\n{hkrnl_row(name='R' * 201)}", stats)
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "name: is 201 characters long; at most 200"
    assert rejection.raw["name"].endswith("(201 characters, clipped)")


def test_an_id_holding_an_aadhaar_number_rejects_its_row() -> None:
    number = valid_aadhaar("id")
    stats = ParseStats()
    (rejection,) = parse_hkrnl(f"{HKRNL_HEADER}\n{hkrnl_row(hid=f'HK {number}')}", stats)
    assert isinstance(rejection, Rejection)
    assert rejection.field == "hkrnl_id"
    assert "Aadhaar-like" in rejection.reason
    assert rejection.employee_ref == f"HK {REDACTED}"


def test_a_bad_column_name_rejects_its_row_without_naming_it_as_the_field() -> None:
    stats = ParseStats()
    records = [{"hkrnl_id": "HK1", "k\ud800": "x" * 5000}]
    (rejection,) = list(parsing.parse_hkrnl_json(records, stats, as_of=AS_OF))
    assert isinstance(rejection, Rejection)
    assert rejection.field == "row"
    assert "lone surrogate" in rejection.reason
    assert "k<U+D800>" in rejection.raw


def test_an_unclosed_quote_rejects_its_line_and_every_later_row_is_read() -> None:
    """A quote left open used to swallow every later line into one rejected row."""
    stats = ParseStats()
    rows = [hkrnl_row("HK1"), hkrnl_row("HK2", name='"Ram, Kumar'), hkrnl_row("HK3")]
    items = parse_hkrnl("\n".join([HKRNL_HEADER, *rows, hkrnl_row("HK4")]), stats)
    assert stats.received == 4 == stats.accepted + stats.rejected
    drafts = sorted(i.source_employee_id for i in items if isinstance(i, EmployeeDraft))
    (rejection,) = [i for i in items if isinstance(i, Rejection)]
    assert drafts == ["HK1", "HK3", "HK4"]
    assert rejection.row_number == 2
    assert rejection.field == "row"
    assert "quote opened on this line is not closed" in rejection.reason


def test_a_quote_still_open_at_the_end_of_the_file_rejects_its_line() -> None:
    stats = ParseStats()
    items = parse_hkrnl(f'{HKRNL_HEADER}\n{hkrnl_row("HK1")}\n"HK2,Ram', stats)
    assert stats.received == 2
    assert stats.rejected == 1
    (rejection,) = [i for i in items if isinstance(i, Rejection)]
    assert rejection.row_number == 2
    assert "not closed" in rejection.reason


def test_a_value_holding_a_line_break_makes_each_line_a_row() -> None:
    stats = ParseStats()
    text = f'{HKRNL_HEADER}\n{hkrnl_row("HK1", name=chr(34) + "Ram")}\nKumar"\n{hkrnl_row("HK3")}'
    items = parse_hkrnl(text, stats)
    assert stats.received == 3 == stats.accepted + stats.rejected
    assert [i.source_employee_id for i in items if isinstance(i, EmployeeDraft)] == ["HK3"]
