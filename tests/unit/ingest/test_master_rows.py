"""Master data rows, CSV or JSON, become entities linked to their parents; a row missing
its name or code is rejected with the reason, and rows of one code that disagree are
conflicting duplicates."""

from __future__ import annotations

import json

from ingest.domain import parsing
from ingest.domain.model import MasterEntity, ParseStats, Rejection
from tests.unit.ingest.rows import DATA


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
