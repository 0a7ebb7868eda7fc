"""Writing the files: a CSV writer that can leave the Aadhaar columns out, and master.csv
(departments, posts, heads of account, an office and a DDO per department and district)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ingest.domain import haryana as hr
from ingest.generator.layout import (
    CSS_SUB_HEAD,
    HEADS,
    MASTER_COLUMNS,
    PART_TIME_POST,
    UNCLASSIFIED_HEAD,
)
from ingest.generator.people import ddo_code, office_code


class CsvWriter:
    """One CSV file with some columns optionally left out (the Aadhaar ones)."""

    def __init__(self, path: Path, columns: Sequence[str], skip: set[str], bom: bool) -> None:
        self.handle: TextIO = path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="")
        self.keep = [i for i, c in enumerate(columns) if c not in skip]
        self.csv = csv.writer(self.handle)
        self.csv.writerow([columns[i] for i in self.keep])

    def row(self, cells: Sequence[str]) -> None:
        self.csv.writerow([cells[i] for i in self.keep if i < len(cells)])

    def close(self) -> None:
        self.handle.close()


def _head_rows() -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for base in sorted({*HEADS.values(), "2052-00-090"}):
        for sub, funding in (("97", "centrally_sponsored"), ("98", "state"), ("99", "state")):
            head = f"{base}-{sub}"
            name = f"Head {head}" + (" (centrally sponsored scheme)" if sub == CSS_SUB_HEAD else "")
            rows.append(
                ("head", head, name, "", "", "Y", "" if head == UNCLASSIFIED_HEAD else funding, "")
            )
    return rows


def write_master(path: Path) -> int:
    """Write master.csv; returns its number of rows."""
    depts = dict(hr.DEPARTMENTS)
    rows: list[tuple[str, ...]] = [
        ("department", c, n, "", "", "Y", "", "") for c, n in hr.DEPARTMENTS
    ]
    rows += [("post", c, n, "", "", "Y", "", "full_time") for c, n in hr.POSTS]
    rows.append(("post", *PART_TIME_POST, "", "", "Y", "", "part_time"))
    rows += _head_rows()
    for dept in depts:
        for i, (_, district, _) in enumerate(hr.DISTRICTS):
            office = office_code(dept, i)
            rows.append(
                ("office", office, f"{depts[dept]}, {district}", "department", dept, "Y", "", "")
            )
            name = f"DDO {depts[dept]}, {district}"
            rows.append(("ddo", ddo_code(dept, i), name, "office", office, "Y", "", ""))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MASTER_COLUMNS)
        writer.writerows(rows)
    return len(rows)
