"""The sample files of tests/data/ingest, read in chunks as an upload arrives, parse to
the counts their docs state, and each rejection in them names its field and reason."""

from __future__ import annotations

from ingest.domain import parsing
from ingest.domain.model import ParseStats, Rejection
from tests.unit.ingest.rows import DATA, chunked


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
