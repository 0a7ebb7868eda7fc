"""The synthetic files the ingest tests upload, made by `ingest.generator`, and what the
tests read out of them (expected counts, planted gaps, planted Aadhaar-like values)."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.generator import DefectMix, generate

AADHAAR_HEADER = re.compile(r"aadh?aa?r|\buid\b", re.IGNORECASE)
SEED, EMPLOYEES = 20260213, 300


@dataclass(frozen=True)
class Generated:
    root: Path
    manifest: dict[str, Any]

    def path(self, source: str) -> Path:
        return _one(self.root, source)

    def expected(self, source: str) -> tuple[int, int, int, int]:
        """(received, accepted, rejected) rows and employees the manifest promises."""
        counts = self.manifest["expected"][source]
        return counts["received"], counts["accepted"], counts["rejected"], counts["employees"]

    def missing_ddos(self) -> list[str]:
        return list(self.manifest["missing_master"]["ddo"])

    def aadhaar_values(self) -> set[bytes]:
        """Every value in an Aadhaar/UID column of the generated CSV files."""
        found: set[bytes] = set()
        for path in self.root.glob("*.csv"):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    found |= {
                        v.encode() for k, v in row.items() if k and v and AADHAAR_HEADER.search(k)
                    }
        digits = {re.sub(rb"\D", b"", v) for v in found}
        return {v for v in found | digits if len(re.sub(rb"\D", b"", v)) == 12}

    def altered(self, source: str) -> Path:
        """The same file with every name changed: the same employees, different content."""
        original = self.path(source)
        target = original.with_name(f"altered-{original.name}")
        with original.open(encoding="utf-8-sig", newline="") as src:
            rows = list(csv.reader(src))
        column = next(i for i, h in enumerate(rows[0]) if "name" in h.lower())
        for row in rows[1:]:
            if len(row) > column and row[column]:
                row[column] = f"{row[column]} Kumar"
        with target.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)
        return target


def _one(root: Path, source: str) -> Path:
    matches = sorted(p for p in root.glob(f"*{source}*") if p.suffix in {".csv", ".json"})
    matches = [
        p for p in matches if not p.name.startswith("altered-") and p.name != "manifest.json"
    ]
    if not matches:
        raise AssertionError(f"no generated {source} file in {root}")
    return matches[0]


def generated_files(root: Path) -> Generated:
    generate(root, EMPLOYEES, SEED, DefectMix())
    manifest = json.loads((root / "manifest.json").read_text())
    return Generated(root, manifest)
