"""Which column of an upload holds which field: the names offices give each column
(matched ignoring case, spaces and punctuation), and the columns every file of a source
must have. Pure. The same lists are in docs/ingest-sources.md; a test holds them together.

A CSV file missing a required column is refused whole (`MissingColumnsError`) before any
row is read, naming the column and the names accepted for it; columns that name no field
are listed in the batch report, so a misnamed column is never silently "missing" on
every row.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from ingest.domain.model import ParseStats
from ingest.domain.normalise import is_aadhaar_header
from ingest.domain.records import Record


@dataclass(frozen=True)
class Column:
    """A field, whether every file must have its column, and the names it goes by."""

    field: str
    required: bool
    names: tuple[str, ...]


def squash(name: str) -> str:
    """A column name as matched: case, spaces and punctuation ignored
    (`Mobile No.` = `mobile_no` = `MOBILENO`)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _col(name: str, required: bool, *names: str) -> Column:
    """A column known by its field name and `names` (one of each spelling kept)."""
    unique: dict[str, str] = {}
    for each in (name, *names):
        unique.setdefault(squash(each), each)
    return Column(name, required, tuple(unique.values()))


_PERSON = (
    _col("name", True, "Name", "Employee Name", "Emp Name", "Name of Employee", "Full Name"),
    _col("date_of_birth", True, "Date of Birth", "DOB", "D.O.B.", "Birth Date"),
    _col("date_of_joining", True, "Date of Joining", "DOJ", "D.O.J.", "Joining Date"),
    _col(
        "mobile",
        True,
        *("Mobile", "Mobile No", "Mobile No.", "Mobile Number", "Mob No", "Mobile Phone"),
        *("Phone", "Phone No", "Phone Number", "Contact No", "Contact Number", "Cell No"),
    ),
    _col(
        "family_id",
        True,
        *("Family ID", "Family Id No", "PPP ID", "PPP Family ID", "PPP No", "PPPID"),
        *("Parivar Pehchan Patra", "Parivar Pehchan Patra ID", "PPP"),
    ),
    _col("department_code", False, "Department Code", "Dept Code", "Department", "Dept"),
    _col("office_code", False, "Office Code", "Office", "District Office Code"),
    _col("post_code", False, "Post Code", "Post", "Designation Code", "Designation"),
    _col("ddo_code", False, "DDO Code", "DDO"),
    _col("district", False, "District", "District Name"),
)
HKRNL: tuple[Column, ...] = (
    _col("hkrnl_id", True, "HKRNL ID", "HKRN ID", "HKRNL No", "Employee ID", "Emp ID", "ID"),
    *_PERSON,
    _col(
        "monthly_remuneration",
        False,
        *("Monthly Remuneration", "Remuneration", "Monthly Salary", "Salary"),
    ),
    _col("employment", False, "Employment", "Employment Type", "Nature of Employment"),
    _col("scheme", False, "Scheme", "Scheme Type"),
    _col("deployments", False, "Deployments", "Deployment", "Deployment Periods"),
)
EBILLING: tuple[Column, ...] = (
    _col("employee_code", True, *("Employee Code", "Emp Code", "Employee ID", "Emp ID", "Emp No")),
    *_PERSON,
    _col("head_of_account", True, "Head of Account", "HOA", "Budget Head"),
    _col("month", True, "Month", "Pay Month", "Salary Month", "Bill Month", "Month of Pay"),
    _col("days_paid", True, "Days Paid", "Paid Days", "Days", "No of Days"),
    _col("amount", True, "Amount", "Gross Amount", "Gross", "Gross Pay", "Amount (Rs)"),
    _col("date_of_leaving", False, "Date of Leaving", "DOL", "Date of Relieving"),
    _col("treasury", False, "Treasury", "Treasury Name"),
)
MASTER: tuple[Column, ...] = (
    _col("entity_type", True, "Entity Type", "Type"),
    _col("code", True, "Code"),
    _col("name", True, "Name"),
    _col("parent_type", False, "Parent Type"),
    _col("parent_code", False, "Parent Code", "Parent"),
    _col("active", False, "Active", "Status"),
)
SOURCES: dict[str, tuple[Column, ...]] = {"hkrnl": HKRNL, "ebilling": EBILLING, "master": MASTER}


@dataclass
class Layout:
    """How a file's columns were read: `read_as` (column as written -> field),
    `unrecognised` (columns that name no field; ignored), `missing_required` and
    `missing_optional` (fields no column names)."""

    read_as: dict[str, str] = field(default_factory=dict)
    unrecognised: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # named a field, dropped as Aadhaar-like


class MissingColumnsError(ValueError):
    """A file without a column every file of its source must have; nothing is read."""

    def __init__(self, source: str, layout: Layout) -> None:
        columns = {c.field: c for c in SOURCES[source]}
        self.missing = [
            {"column": name, "accepted_names": list(columns[name].names)}
            for name in layout.missing_required
        ]
        self.unrecognised = list(layout.unrecognised)
        parts = [
            f"no {m['column']} column (name it one of: {', '.join(m['accepted_names'])})"
            for m in self.missing
        ]
        self.dropped = list(layout.dropped)
        if self.dropped:
            parts.append(
                f"columns dropped because their values look like Aadhaar numbers: "
                f"{', '.join(self.dropped)}"
            )
        if self.unrecognised:
            parts.append(f"columns not recognised: {', '.join(self.unrecognised)}")
        super().__init__(f"the {source} file is refused: " + "; ".join(parts))

    def detail(self) -> dict[str, Any]:
        return {
            "message": str(self),
            "missing_columns": self.missing,
            "unrecognised_columns": self.unrecognised,
            "dropped_as_aadhaar": self.dropped,
        }


def _index(source: str) -> dict[str, str]:
    return {squash(name): c.field for c in SOURCES[source] for name in c.names}


_INDEX = {source: _index(source) for source in SOURCES}
FIELDS = frozenset(field for index in _INDEX.values() for field in index.values())


def layout(source: str, headers: Iterable[str]) -> tuple[list[str | None], Layout]:
    """The field each header is read as (None: no field, or a second column of a field
    already taken, which is then listed as unrecognised), and the layout. Aadhaar/UID
    columns are neither fields nor listed: they are dropped before this."""
    index = _INDEX[source]
    found = Layout()
    fields: list[str | None] = []
    for header in headers:
        name = index.get(squash(header))
        if name is None or name in found.read_as.values():
            fields.append(None)
            if header.strip() and not is_aadhaar_header(header):
                found.unrecognised.append(header.strip())
            continue
        fields.append(name)
        found.read_as[header.strip()] = name
    taken = set(found.read_as.values())
    for column in SOURCES[source]:
        if column.field not in taken:
            target = found.missing_required if column.required else found.missing_optional
            target.append(column.field)
    return fields, found


def record_layout(stats: ParseStats, found: Layout) -> None:
    stats.columns = dict(found.read_as)
    stats.unrecognised_columns = list(found.unrecognised)
    stats.missing_columns = list(found.missing_optional)


def csv_keys(
    source: str, header: Sequence[str], keys: Sequence[str], dropped: Set[int], stats: ParseStats
) -> list[str]:
    """The keys `table.csv_rows` gives a CSV's cells: each column's field, the layout
    recorded in `stats`; raises `MissingColumnsError` when a required column is missing.
    A column that names no field keeps its own key (`column_<n>` if that is a field's)."""
    kept = ["" if i in dropped else h for i, h in enumerate(header)]
    fields, found = layout(source, kept)
    record_layout(stats, found)
    if found.missing_required:
        index = _INDEX[source]
        found.dropped = [h for i, h in enumerate(header) if i in dropped and index.get(squash(h))]
        raise MissingColumnsError(source, found)
    taken = set(_INDEX[source].values())
    return [
        known or (key if key not in taken else f"column_{i + 1}")
        for i, (known, key) in enumerate(zip(fields, keys, strict=True))
    ]


def renamed(source: str, records: Iterable[Any], stats: ParseStats) -> Iterator[Any]:
    """JSON records with their keys read as fields, the way CSV columns are (a key that
    names no field is kept as it is). Keys are per record, so a key no record has is not
    refused: its field is missing on each row instead. The layout over all records is
    recorded in `stats` once they are read."""
    index = _INDEX[source]
    seen: dict[str, None] = {}
    for record in records:
        if not isinstance(record, dict):
            yield record
            continue
        out = Record()
        conflicts = list(getattr(record, "conflicts", ()))
        for key, value in record.items():
            name = index.get(squash(str(key)))
            seen.setdefault(str(key))
            if name is not None and name in out and out[name] != value and name not in conflicts:
                conflicts.append(name)  # two names of one field, saying different things
            target = name if name is not None and name not in out else str(key)
            out[target if target not in out else f"{key}_{len(out) + 1}"] = value
        if conflicts:
            out.conflicts = tuple(conflicts)
        yield out
    record_layout(stats, layout(source, seen)[1])
