"""The synthetic data generator: deterministic by seed, and its manifest tells the truth
about what the parsers will find in its files."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from ingest.domain import parsing
from ingest.domain.model import EmployeeDraft, ParseStats, Rejection
from ingest.generator import DefectMix, generate, main_generate

PEOPLE, SEED = 400, 11
FILES = ("hkrnl.csv", "ebilling.csv", "master.csv", "manifest.json")
PARSERS = {
    "hkrnl": parsing.parse_hkrnl_csv,
    "ebilling": parsing.parse_ebilling_csv,
    "master": parsing.parse_master,
}


def digests(root: Path) -> dict[str, str]:
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in FILES}


def parsed(root: Path, source: str) -> tuple[ParseStats, list[Any]]:
    stats = ParseStats()
    with (root / f"{source}.csv").open("rb") as handle:
        chunks = iter(lambda: handle.read(4096), b"")
        results = list(PARSERS[source](parsing.read_text_lines(chunks), stats))
    return stats, results


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("generated")
    generate(root, PEOPLE, SEED, None)
    return root, json.loads((root / "manifest.json").read_text(encoding="utf-8"))


def test_the_same_seed_writes_identical_files_and_another_seed_does_not(
    tmp_path: Path, generated: tuple[Path, dict[str, Any]]
) -> None:
    root, _ = generated
    generate(tmp_path / "again", PEOPLE, SEED, None)
    generate(tmp_path / "other", PEOPLE, SEED + 1, None)
    assert digests(tmp_path / "again") == digests(root)
    assert digests(tmp_path / "other")["hkrnl.csv"] != digests(root)["hkrnl.csv"]


@pytest.mark.parametrize("source", ["hkrnl", "ebilling", "master"])
def test_parsing_the_files_gives_the_manifests_counts(
    generated: tuple[Path, dict[str, Any]], source: str
) -> None:
    root, manifest = generated
    stats, results = parsed(root, source)
    expected = manifest["expected"][source]
    assert (stats.received, stats.accepted, stats.rejected, stats.employees) == (
        expected["received"],
        expected["accepted"],
        expected["rejected"],
        expected["employees"],
    )
    assert all(r.reason for r in results if isinstance(r, Rejection))
    ids = {
        d.employee_id() if isinstance(d, EmployeeDraft) else d.code
        for d in results
        if not isinstance(d, Rejection)
    }
    assert len(ids) == expected["distinct_employees"]


def test_every_planted_defect_is_present(generated: tuple[Path, dict[str, Any]]) -> None:
    _, manifest = generated
    planted = {d for person in manifest["people"] for d in person["defects"]}
    assert planted >= {
        "changed_mobile",
        "wrong_family_id",
        "non_contractual",
        "short_service",
        "duplicate",
        "malformed",
        "missing_master",
        "both_sources",
    }
    assert manifest["expected"]["hkrnl"]["rejected"] > 0
    assert manifest["expected"]["ebilling"]["rejected"] > 0


def test_records_carry_the_defects_the_manifest_names(
    generated: tuple[Path, dict[str, Any]],
) -> None:
    root, manifest = generated
    drafts = {
        d.employee_id(): d
        for source in ("hkrnl", "ebilling")
        for d in parsed(root, source)[1]
        if isinstance(d, EmployeeDraft)
    }
    for person in manifest["people"]:
        draft = drafts.get(person["employee_id"])
        assert (draft is not None) == person["accepted"], person
        if draft is None:
            continue
        defects = set(person["defects"])
        assert (draft.mobile != person["true_mobile"]) == ("changed_mobile" in defects)
        assert (draft.family_id != person["true_family_id"]) == ("wrong_family_id" in defects)
        if draft.source == "ebilling":
            contractual = bool(set(draft.object_codes) & {"69", "01"})
            assert contractual != ("non_contractual" in defects)


def test_planted_master_gaps_are_used_by_records_and_absent_from_master_csv(
    generated: tuple[Path, dict[str, Any]],
) -> None:
    root, manifest = generated
    with (root / "master.csv").open(encoding="utf-8", newline="") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    missing = manifest["missing_master"]
    assert missing["ddo"]
    assert not (set(missing["ddo"]) | set(missing["office"])) & codes
    drafts = [
        d for s in ("hkrnl", "ebilling") for d in parsed(root, s)[1] if isinstance(d, EmployeeDraft)
    ]
    used = {d.ddo_code for d in drafts} - codes
    assert used == set(missing["ddo"])


def test_aadhaar_columns_are_in_the_files_and_never_in_the_parsed_output(
    generated: tuple[Path, dict[str, Any]],
) -> None:
    root, manifest = generated
    for source in ("hkrnl", "ebilling"):
        stats, results = parsed(root, source)
        assert stats.dropped_columns == manifest["aadhaar_columns"][source]
        with (root / f"{source}.csv").open(encoding="utf-8-sig", newline="") as handle:
            first = next(csv.DictReader(handle))
        planted = [first[c] for c in manifest["aadhaar_columns"][source]]
        assert planted
        assert all(value not in repr(results) for value in planted)


def test_without_the_aadhaar_defect_no_column_is_dropped(tmp_path: Path) -> None:
    generate(tmp_path, 50, SEED, DefectMix(aadhaar_column=False))
    assert parsed(tmp_path, "hkrnl")[0].dropped_columns == []


def test_the_cli_entry_writes_the_files(tmp_path: Path) -> None:
    assert main_generate(["--employees", "20", "--out", str(tmp_path), "--seed", "3"]) == 0
    assert all((tmp_path / name).exists() for name in FILES)


def test_master_classifies_the_heads_and_posts_the_exclusions_rest_on(
    generated: tuple[Path, dict[str, Any]],
) -> None:
    root, manifest = generated
    _, entities = parsed(root, "master")
    funding = {e.code: e.funding for e in entities if e.entity_type == "head"}
    employment = {e.code: e.employment for e in entities if e.entity_type == "post"}
    _, drafts = parsed(root, "ebilling")
    by_id = {d.employee_id(): d for d in drafts if isinstance(d, EmployeeDraft)}

    excluded = manifest["ebilling_exclusions"]
    assert excluded["centrally_sponsored"]
    assert excluded["part_time"]
    for employee_id in excluded["centrally_sponsored"]:
        [head] = by_id[employee_id].heads_of_account
        assert funding[head] == "centrally_sponsored"
    for employee_id in excluded["part_time"]:
        assert employment[by_id[employee_id].post_code or ""] == "part_time"
    others = set(by_id) - set(excluded["centrally_sponsored"])
    assert all(
        funding.get(h) != "centrally_sponsored" for i in others for h in by_id[i].heads_of_account
    )
    [unclassified] = manifest["unclassified_heads"]
    assert funding[unclassified] is None
    assert any(unclassified in d.heads_of_account for d in by_id.values())
