"""The rules offline on the source files: read by ingest's parsers, decided as the OTP
service decides (linked records as one person, Part-II exclusions from master data)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from ingest.generator import DefectMix, generate
from scripts.evaluate import run

ROOT = Path(__file__).parents[3]


def decided(out: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    lines = [json.loads(line) for line in out.splitlines()]
    return {d["employee_id"]: d for d in lines if "gate" in d}, [d for d in lines if "row" in d]


def test_generated_files_are_decided_id_by_id_with_links_exclusions_and_rejections(
    tmp_path: Path,
) -> None:
    manifest = generate(tmp_path, 300, 7, DefectMix()).to_json()
    files = {s: tmp_path / f"{s}.csv" for s in ("hkrnl", "ebilling", "master")}
    out, err = io.StringIO(), io.StringIO()

    code = run(files, None, date(2024, 8, 15), out, err)
    decisions, rejected = decided(out.getvalue())

    assert code == 1  # the planted malformed rows
    accepted = {p["employee_id"] for p in manifest["people"] if p["accepted"]}
    assert set(decisions) == accepted
    expected = manifest["expected"]
    assert len(rejected) == expected["hkrnl"]["rejected"] + expected["ebilling"]["rejected"]
    assert all(r["field"] and r["error"] for r in rejected)
    both = Counter(
        p["person"] for p in manifest["people"] if p["accepted"] and "both_sources" in p["defects"]
    )
    pairs = [person for person, ids in both.items() if ids == 2]
    assert pairs
    for entry in manifest["people"]:
        if entry["person"] in pairs:
            decision = decisions[entry["employee_id"]]
            assert len(decision["person_ids"]) == 2
    for employee_id in manifest["ebilling_exclusions"]["centrally_sponsored"]:
        codes = [r["code"] for r in decisions[employee_id]["eligibility"]["reasons"]]
        if len(decisions[employee_id]["person_ids"]) < 2:
            assert "centrally_sponsored_scheme" in codes
    for entry in manifest["people"]:
        if "non_contractual" in entry["defects"] and "both_sources" not in entry["defects"]:
            reasons = [r["code"] for r in decisions[entry["employee_id"]]["gate"]["reasons"]]
            assert reasons == ["non_contractual_head"]


def test_the_tool_runs_from_the_command_line_and_otp_evaluate_points_to_it(tmp_path: Path) -> None:
    sample = ROOT / "tests" / "data" / "ingest"
    tool = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.evaluate",
            "--ebilling",
            str(sample / "ebilling-sample.csv"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tool.returncode in (0, 1), tool.stderr
    assert tool.stdout.strip()
    assert "decided" in tool.stderr
    otp = subprocess.run(
        [sys.executable, "-m", "otp", "evaluate", "--hkrnl", "x.csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert otp.returncode == 2
    assert "python -m scripts.evaluate" in otp.stderr
