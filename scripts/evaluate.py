"""`python -m scripts.evaluate --hkrnl hkrnl.csv --ebilling ebilling.csv --master master.csv`
`[--certifications certifications.jsonl] [--as-of 2024-08-15] > decisions.jsonl`

The OTP service's rules offline on the source files themselves, read in their documented
formats by ingest's own parsers (docs/ingest-sources.md): the records are what ingest would
publish (contact fields validated, Part-II exclusions from master data, records of one
person linked across sources), and each is decided as the OTP service decides it (linked
records as one person, certifications in force counted). Any file may be left out.

A tool of the workspace, not of a service: the otp package imports contracts only, never
another service, so this is the place allowed to import both ingest and otp.

Output: one line per employee id, the Decision as JSON, then one line per rejected row,
`{"source": ..., "row": n, "field": ..., "error": ...}`. Exit code 0 when every row was
read, 1 when some were rejected (they are all listed), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from contracts.certification import CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived
from ingest.domain.model import EmployeeDraft, MasterEntity, ParseStats, Rejection
from ingest.exclusions import classify
from ingest.ports import Stored
from ingest.records import link_keys, source_of
from ingest.uploads import parse_file
from otp.domain.person import Member, decide_person

SOURCES = ("master", "hkrnl", "ebilling")


class MasterData:
    """Master entities held in memory, read as ingest's store would give them."""

    def __init__(self, entities: Iterable[MasterEntity]) -> None:
        self.held = {
            f"{e.entity_type}:{e.code}": Stored(
                f"{e.entity_type}:{e.code}", 0, "", e.model_dump(mode="json")
            )
            for e in entities
        }

    async def load(self, keys: Sequence[str]) -> dict[str, Stored]:
        return {key: self.held[key] for key in keys if key in self.held}

    async def save(self, items: Sequence[Stored]) -> int:
        raise NotImplementedError("read only")


def read(source: str, path: Path, as_of: date) -> tuple[list[Any], list[Rejection]]:
    with path.open("rb") as body:
        items = list(parse_file(source, body, path.suffix == ".json", ParseStats(), as_of))  # type: ignore[arg-type]
    return [i for i in items if not isinstance(i, Rejection)], [
        i for i in items if isinstance(i, Rejection)
    ]


def linked(drafts: Sequence[EmployeeDraft]) -> dict[str, list[str]]:
    """The ids of the same person in the other source, as ingest links them."""
    index: dict[str, set[str]] = {}
    keys = {
        d.employee_id(): link_keys(d.name, d.date_of_birth, d.mobile, d.family_id) for d in drafts
    }
    for own, found in keys.items():
        for key in found:
            index.setdefault(key, set()).add(own)
    return {
        own: sorted({i for k in found for i in index[k] if source_of(i) != source_of(own)})
        for own, found in keys.items()
    }


def record_of(draft: EmployeeDraft, links: list[str], batch: str) -> EmployeeRecordReceived:
    fields = draft.model_dump(mode="json", exclude={"source_employee_id"})
    employee_id = draft.employee_id()
    return EmployeeRecordReceived.model_validate(
        {
            **fields,
            "employee_id": employee_id,
            "batch_id": batch,
            "linked_employee_ids": links,
            "producer": "evaluate",
            "correlation_id": batch,
            "partition_key": employee_id,
            "source_version": 1,
        }
    )


def certifications_from(path: Path | None) -> dict[str, list[CertificationTookEffect]]:
    held: dict[str, list[CertificationTookEffect]] = {}
    if path is None:
        return held
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            cert = CertificationTookEffect.model_validate_json(line)
            held.setdefault(cert.employee_id, []).append(cert)
    return held


def run(files: dict[str, Path], certs: Path | None, as_of: date, out: TextIO, err: TextIO) -> int:
    rejected: list[dict[str, Any]] = []
    master: list[MasterEntity] = []
    drafts: list[EmployeeDraft] = []
    for source in SOURCES:
        if source not in files:
            continue
        items, rejections = read(source, files[source], as_of)
        rejected += [
            {"source": source, "row": r.row_number, "field": r.field, "error": r.reason}
            for r in rejections
        ]
        (master if source == "master" else drafts).extend(items)
    drafts = asyncio.run(classify(drafts, MasterData(master)))
    links = linked(drafts)
    records = {
        d.employee_id(): record_of(d, links[d.employee_id()], files[d.source].name) for d in drafts
    }
    by_employee = certifications_from(certs)
    for employee_id in sorted(records):
        own = records[employee_id]
        ids = [employee_id, *(i for i in own.linked_employee_ids if i in records)]
        members = [
            Member(i, records[i], tuple(sorted(by_employee.get(i, []), key=_order))) for i in ids
        ]
        out.write(decide_person(employee_id, members).model_dump_json() + "\n")
    for row in rejected:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    err.write(f"decided {len(records)}, rejected rows {len(rejected)}\n")
    return 1 if rejected else 0


def _order(cert: CertificationTookEffect) -> tuple[Any, str]:
    return cert.effective_at, cert.certification_id


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.evaluate", description=__doc__)
    for source in SOURCES:
        parser.add_argument(
            f"--{source}", type=Path, help=f"{source} file (CSV; JSON for hkrnl/master)"
        )
    parser.add_argument("--certifications", type=Path, help="CertificationTookEffect JSON lines")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2024, 8, 15))
    args = parser.parse_args(argv)
    files = {s: getattr(args, s) for s in SOURCES if getattr(args, s) is not None}
    if not files:
        parser.error("give at least one of --hkrnl, --ebilling, --master")
    return run(files, args.certifications, args.as_of, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
