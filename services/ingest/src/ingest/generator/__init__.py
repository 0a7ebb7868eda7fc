"""Synthetic HKRNL, e-Billing and master-data files with planted defects and a manifest.

`generate(out_dir, employees, seed, defects)` writes hkrnl.csv (Part-I), ebilling.csv
(Part-II payment lines, 12 months each, interleaved month by month), master.csv and
manifest.json (every employee id with its defects and the person's true mobile and
Family ID; expected counts per file; master-data codes used but absent). Files are
streamed to disk; the same seed gives byte-identical files.

By role: `layout` (columns, pay months, heads of account), `people` (the seeded draw and
each person), `defects` (who carries which, and how a row is broken), `rows` (a person's
HKRNL row and e-Billing lines), `files` (the CSV writer, master.csv), `manifest`, and
`run` (one generation and the `python -m ingest generate` command).
"""

from ingest.generator.defects import DEFECTS, EBILLING_BAD, HKRNL_BAD, DefectMix
from ingest.generator.layout import (
    APPOINTED,
    CSS_SUB_HEAD,
    EBILLING_COLUMNS,
    HKRNL_COLUMNS,
    MASTER_COLUMNS,
    PART_TIME_POST,
    PAY_MONTHS,
    UNCLASSIFIED_HEAD,
)
from ingest.generator.manifest import Expected, Manifest
from ingest.generator.people import Person
from ingest.generator.run import generate, main_generate

__all__ = [
    "APPOINTED",
    "CSS_SUB_HEAD",
    "DEFECTS",
    "EBILLING_BAD",
    "EBILLING_COLUMNS",
    "HKRNL_BAD",
    "HKRNL_COLUMNS",
    "MASTER_COLUMNS",
    "PART_TIME_POST",
    "PAY_MONTHS",
    "UNCLASSIFIED_HEAD",
    "DefectMix",
    "Expected",
    "Manifest",
    "Person",
    "generate",
    "main_generate",
]
