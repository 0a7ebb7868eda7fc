"""HKRNL rows, CSV or pushed JSON, become normalised drafts: deployment periods, an open
one ending at the as-of date (so a file sent again parses the same), names in NFC, a bad
mobile kept as an issue. A row of the wrong width or missing a field is rejected, numbered
from the first data row; rows of one id with other values are conflicting duplicates
naming the first, identical ones are both accepted."""

from __future__ import annotations

import json
import unicodedata
from datetime import date

from ingest.domain import parsing
from ingest.domain.model import EmployeeDraft, ParseStats, Rejection
from tests.unit.ingest.rows import AS_OF, DATA, HKRNL_HEADER, hkrnl_row, parse_hkrnl

MOBILES = ("9812045678", "9812045679", "9812045670")


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


def test_hkrnl_json_push_takes_deployment_lists_and_drops_aadhaar_keys() -> None:
    records = json.loads((DATA / "hkrnl-push.json").read_text(encoding="utf-8"))
    stats = ParseStats()
    drafts = list(parsing.parse_hkrnl_json(records, stats, as_of=AS_OF))
    assert stats.dropped_columns == ["aadhaar"]
    assert "5678 1234 9012" not in repr(drafts)
    first = drafts[0]
    assert isinstance(first, EmployeeDraft)
    assert [p.end for p in first.service_periods] == [date(2022, 3, 31), AS_OF]


def test_an_open_deployment_ends_at_the_as_of_date_so_a_resent_file_is_unchanged() -> None:
    text = f"{HKRNL_HEADER}\n{hkrnl_row()}"
    first = parse_hkrnl(text, ParseStats())
    again = parse_hkrnl(text, ParseStats())
    assert first == again
    (draft,) = first
    assert isinstance(draft, EmployeeDraft)
    assert draft.service_periods[-1].end == AS_OF


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
