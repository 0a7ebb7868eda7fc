"""One generation (`generate`): people drawn one by one into hkrnl.csv or e-Billing's
payees, then e-Billing's lines month by month, master.csv, and the manifest; and the
`python -m ingest generate` command."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ingest.generator.defects import EBILLING_BAD, HKRNL_BAD, DefectMix, spoil
from ingest.generator.files import CsvWriter, write_master
from ingest.generator.layout import (
    CSS_SUB_HEAD,
    EBILLING_COLUMNS,
    HKRNL_COLUMNS,
    PART_TIME_POST,
    PAY_MONTHS,
    UNCLASSIFIED_HEAD,
)
from ingest.generator.manifest import Expected, Manifest, entry
from ingest.generator.people import Draw, Person, draw_person, office_code
from ingest.generator.rows import Payee, draw_payee, hkrnl_cells, pay_line


class _Run:
    """State of one generation: the draw, the writers, the counts, the manifest rows."""

    def __init__(self, out_dir: Path, seed: int, mix: DefectMix, people: int) -> None:
        self.draw, self.mix = Draw(seed), mix
        self.plan = mix.plan(people, self.draw.rng)
        skip = set() if mix.aadhaar_column else {"aadhaar_no", "ref_no", "Aadhar_No"}
        self.hkrnl = CsvWriter(out_dir / "hkrnl.csv", HKRNL_COLUMNS, skip, bom=True)
        self.ebilling = CsvWriter(out_dir / "ebilling.csv", EBILLING_COLUMNS, skip, bom=False)
        self.expected = {s: Expected() for s in ("hkrnl", "ebilling", "master")}
        self.people: list[dict[str, Any]] = []
        self.payees: list[Payee] = []
        self.excluded: dict[str, list[str]] = {"centrally_sponsored": [], "part_time": []}
        self.missing: dict[str, set[str]] = {
            t: set() for t in ("department", "office", "post", "ddo")
        }
        self.columns = {
            "hkrnl": ["aadhaar_no", "ref_no"] if mix.aadhaar_column else [],
            "ebilling": ["Aadhar_No"] if mix.aadhaar_column else [],
        }

    def add(self, index: int) -> None:
        roll = self.draw.rng.random()
        both = roll < self.mix.both_sources
        defect = self.plan[index - 1]
        to_hkrnl = both or (roll < self.mix.both_sources + 0.55 and defect != "non_contractual")
        p = draw_person(self.draw, index, defect)
        if p.defect == "missing_master":
            self.missing["ddo"].add(p.ddo)
            if p.office != office_code(p.dept, p.district):
                self.missing["office"].add(p.office)
        if to_hkrnl:
            self._hkrnl(p, both)
        if not to_hkrnl or both:
            self._ebilling(p, both)

    def _hkrnl(self, p: Person, both: bool) -> None:
        hid = f"HKRN{int(p.person[1:]):07d}"
        cells = hkrnl_cells(self.draw, p, hid)
        bad = p.defect == "malformed"
        copies = 2 if p.defect == "duplicate" else 1
        row = spoil(self.draw, cells, HKRNL_BAD, HKRNL_COLUMNS) if bad else cells
        for _ in range(copies):
            self.hkrnl.row(row)
        tally = self.expected["hkrnl"]
        tally.received += copies
        tally.rejected += copies if bad else 0
        tally.accepted += 0 if bad else copies
        tally.employees += 0 if bad else copies
        tally.distinct_employees += 0 if bad else 1
        defects = [d for d in (p.defect, "both_sources" if both else None) if d]
        self.people.append(entry(p, f"hkrnl:{hid}", defects, not bad))

    def _payee(self, code: str, p: Person) -> Payee:
        payee = draw_payee(self.draw, code, p)
        if payee.head.split("-")[-2] == CSS_SUB_HEAD:
            self.excluded["centrally_sponsored"].append(f"ebilling:{code}")
        if p.post == PART_TIME_POST[0]:
            self.excluded["part_time"].append(f"ebilling:{code}")
        return payee

    def _ebilling(self, p: Person, both: bool) -> None:
        code = f"E{int(p.person[1:]):08d}"
        defects = [d for d in (p.defect, "both_sources" if both else None) if d]
        if p.defect == "duplicate" and both:
            defects.remove(p.defect)  # planted on the HKRNL side
        self.payees.append(self._payee(code, p))
        self.people.append(entry(p, f"ebilling:{code}", defects, True))
        if p.defect == "duplicate" and not both:
            twin = f"E{int(p.person[1:]) + 50_000_000:08d}"
            self.payees.append(self._payee(twin, p))
            self.people.append(entry(p, f"ebilling:{twin}", ["duplicate"], True))

    def write_lines(self) -> None:
        tally = self.expected["ebilling"]
        last: dict[str, list[str]] = {}
        for month in PAY_MONTHS:
            month_text = f"{month:%m-%Y}"
            for payee in self.payees:
                line = pay_line(self.draw, payee, month, month_text)
                if line is not None:
                    self.ebilling.row(line)
                    tally.received += 1
                    if payee.person.defect == "malformed":
                        last[payee.code] = line
        tally.employees = tally.distinct_employees = len(self.payees)
        for payee in self.payees:
            if payee.code in last:
                self.ebilling.row(
                    spoil(self.draw, last[payee.code], EBILLING_BAD, EBILLING_COLUMNS)
                )
                tally.received += 1
                tally.rejected += 1
        tally.accepted = tally.received - tally.rejected


def generate(
    out_dir: Path, employees: int, seed: int, defects: DefectMix | None = None
) -> Manifest:
    """Write hkrnl.csv, ebilling.csv, master.csv and manifest.json for `employees` people."""
    mix = defects or DefectMix()
    out_dir.mkdir(parents=True, exist_ok=True)
    run = _Run(out_dir, seed, mix, employees)
    try:
        for index in range(1, employees + 1):
            run.add(index)
        run.write_lines()
    finally:
        run.hkrnl.close()
        run.ebilling.close()
    masters = write_master(out_dir / "master.csv")
    run.expected["master"] = Expected(masters, masters, 0, 0, masters)
    manifest = Manifest(
        seed=seed,
        employees=employees,
        defect_mix=asdict(mix),
        files={"hkrnl": "hkrnl.csv", "ebilling": "ebilling.csv", "master": "master.csv"},
        expected=run.expected,
        missing_master={kind: sorted(codes) for kind, codes in run.missing.items()},
        aadhaar_columns=run.columns,
        people=run.people,
        ebilling_exclusions=run.excluded,
        unclassified_heads=[UNCLASSIFIED_HEAD],
    )
    with (out_dir / "manifest.json").open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(manifest.to_json(), ensure_ascii=False))
    return manifest


def main_generate(argv: Sequence[str]) -> int:
    """`python -m ingest generate --employees N --out DIR [--seed S]`."""
    parser = argparse.ArgumentParser(prog="python -m ingest generate")
    parser.add_argument("--employees", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20260213)
    args = parser.parse_args(list(argv))
    manifest = generate(args.out, args.employees, args.seed)
    counts = {s: asdict(e) for s, e in manifest.expected.items()}
    print(json.dumps({"out": str(args.out), "expected": counts}, indent=2))
    return 0
