"""Synthetic HKRNL, e-Billing and master-data files with planted defects and a manifest.

`generate(out_dir, employees, seed, defects)` writes hkrnl.csv (Part-I), ebilling.csv
(Part-II payment lines, 12 months each, interleaved month by month), master.csv and
manifest.json (every employee id with its defects and the person's true mobile and
Family ID; expected counts per file; master-data codes used but absent). Files are
streamed to disk; the same seed gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from ingest.domain import haryana as hr

APPOINTED = date(2024, 8, 15)
PAY_MONTHS = tuple(date(2023 + (m + 8) // 12, (m + 8) % 12 + 1, 1) for m in range(12))
HKRNL_COLUMNS = [
    "hkrnl_id",
    "name",
    "aadhaar_no",
    "date_of_birth",
    "date_of_joining",
    "mobile",
    "family_id",
    "department_code",
    "office_code",
    "post_code",
    "ddo_code",
    "district",
    "monthly_remuneration",
    "employment",
    "scheme",
    "deployments",
    "ref_no",
]
EBILLING_COLUMNS = [
    "employee_code",
    "name",
    "Aadhar_No",
    "ddo_code",
    "treasury",
    "head_of_account",
    "month",
    "days_paid",
    "amount",
    "mobile",
    "family_id",
    "date_of_birth",
    "date_of_joining",
    "department_code",
    "office_code",
    "post_code",
    "district",
]
MASTER_COLUMNS = (
    *("entity_type", "code", "name", "parent_type", "parent_code", "active"),
    *("funding", "employment"),
)
# Master data classifies heads (scheme heads: sub-head 97 is a centrally sponsored scheme)
# and posts (one part-time post); one head in use is left unclassified on purpose.
CSS_SUB_HEAD = "97"
PART_TIME_POST = ("P90", "Part-time Sweeper")
UNCLASSIFIED_HEAD = "2052-00-090-99"
HKRNL_BAD = (
    ("date_of_joining", "31-13-2019"),
    ("name", ""),
    ("row", None),
    ("monthly_remuneration", "-500"),
    ("employment", "contract"),
)
EBILLING_BAD = (("days_paid", "35"), ("amount", "-1200"), ("month", "13-2024"), ("name", ""))


@dataclass(frozen=True)
class DefectMix:
    """Share of people (0..1) carrying each defect; at most one defect per person."""

    changed_mobile: float = 0.05
    wrong_family_id: float = 0.03
    non_contractual: float = 0.04  # e-Billing: paid only under 33 / 87 / 02
    short_service: float = 0.08
    duplicate: float = 0.01
    malformed: float = 0.02
    missing_master: float = 0.01
    both_sources: float = 0.05  # the same person in HKRNL and e-Billing (not a defect)
    aadhaar_column: bool = True

    def plan(self, people: int, rng: random.Random) -> list[str | None]:
        """Exactly round(share * people) people per defect (at least one when the share
        is positive), in a seeded random order."""
        plan: list[str | None] = []
        for name in DEFECTS:
            share = getattr(self, name)
            plan += [name] * (max(1, round(share * people)) if share > 0 else 0)
        plan = plan[:people] + [None] * (people - len(plan))
        rng.shuffle(plan)
        return plan


DEFECTS = (
    "changed_mobile",
    "wrong_family_id",
    "non_contractual",
    "short_service",
    "duplicate",
    "malformed",
    "missing_master",
)


@dataclass
class Expected:
    received: int = 0
    accepted: int = 0
    rejected: int = 0
    employees: int = 0  # drafts the parser yields (a duplicated row counts twice)
    distinct_employees: int = 0  # distinct employee ids among them (published on first upload)


@dataclass
class Manifest:
    """What was generated and what a correct ingest must report."""

    seed: int
    employees: int
    defect_mix: dict[str, Any]
    files: dict[str, str]
    expected: dict[str, Expected]
    missing_master: dict[str, list[str]]
    aadhaar_columns: dict[str, list[str]]
    people: list[dict[str, Any]] = field(default_factory=list)
    # e-Billing ids master data makes excluded: "centrally_sponsored", "part_time"
    ebilling_exclusions: dict[str, list[str]] = field(default_factory=dict)
    unclassified_heads: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The manifest as JSON-ready data (people are not copied)."""
        head = {k: v for k, v in vars(self).items() if k not in ("expected", "people")}
        expected = {source: asdict(counts) for source, counts in self.expected.items()}
        return {**head, "expected": expected, "people": self.people}


@dataclass
class Person:
    person: str
    name: str
    birth: date
    joining: date
    mobile: str
    family_id: str
    dept: str
    district: int
    post: str
    pay: int
    record_mobile: str
    record_family_id: str
    defect: str | None
    ddo: str
    office: str


class _Draw:
    """Seeded value factories (all randomness flows from one `random.Random`)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def mobile(self) -> str:
        return f"{self.rng.choice('6789')}{self.rng.randrange(10**9):09d}"

    def family_id(self) -> str:
        length = 8 if self.rng.random() < 0.9 else 9
        return "".join(self.rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=length))

    def aadhaar(self) -> str:
        n = f"{self.rng.randrange(2, 10)}{self.rng.randrange(10**11):011d}"
        return f"{n[:4]} {n[4:8]} {n[8:]}" if self.rng.random() < 0.5 else n

    def name(self) -> str:
        first, last = self.rng.choice(hr.FIRST_NAMES), self.rng.choice(hr.SURNAMES)
        hindi = self.rng.random() < 0.3
        return f"{first[hindi]} {last[hindi]}"

    def day(self, low: date, high: date) -> date:
        return low + timedelta(days=self.rng.randrange((high - low).days + 1))


def _date_text(draw: _Draw, day: date) -> str:
    style = draw.rng.random()
    if style < 0.6:
        return f"{day:%d-%m-%Y}"
    if style < 0.75:
        return f"{day:%d/%m/%Y}"
    if style < 0.9:
        return day.isoformat()
    return str((day - date(1899, 12, 30)).days)


def _mobile_text(draw: _Draw, mobile: str) -> str:
    style = draw.rng.random()
    if style < 0.7:
        return mobile
    if style < 0.8:
        return f"+91 {mobile}"
    if style < 0.9:
        return f"0{mobile}"
    return f"{mobile[:5]}-{mobile[5:]}"


def _office(dept: str, district: int) -> str:
    return f"{dept}{hr.DISTRICTS[district][0]}"


def _ddo(dept: str, district: int) -> str:
    d = [c for c, _ in hr.DEPARTMENTS].index(dept)
    return f"DDO{d * len(hr.DISTRICTS) + district + 1:04d}"


def _person(draw: _Draw, index: int, defect: str | None) -> Person:
    rng = draw.rng
    birth = draw.day(date(1968, 1, 1), date(2000, 12, 31))
    low = max(date(2005, 1, 1), date(birth.year + 19, 1, 1))
    joining = (
        draw.day(date(2019, 9, 1), date(2024, 6, 30))
        if defect == "short_service"
        else draw.day(min(low, date(2019, 6, 1)), date(2019, 7, 31))
    )
    mobile, family = draw.mobile(), draw.family_id()
    dept, district = rng.choice(hr.DEPARTMENTS)[0], rng.randrange(len(hr.DISTRICTS))
    ddo, office = _ddo(dept, district), _office(dept, district)
    post = rng.choice(hr.POSTS)[0]
    if index % 50 == 3:  # no draw: the other people stay as they were
        post = PART_TIME_POST[0]
    if defect == "missing_master":
        ddo = f"DDO{9000 + rng.randrange(12):04d}"
        office = f"{dept}X{rng.randrange(3)}" if rng.random() < 0.5 else office
    return Person(
        person=f"P{index:07d}",
        name=draw.name(),
        birth=birth,
        joining=joining,
        mobile=mobile,
        family_id=family,
        dept=dept,
        district=district,
        post=post,
        pay=rng.randrange(12000, 32000, 500),
        record_mobile=draw.mobile() if defect == "changed_mobile" else mobile,
        record_family_id=draw.family_id() if defect == "wrong_family_id" else family,
        defect=defect,
        ddo=ddo,
        office=office,
    )


_HEADS = {"HLT": "2210-01-110", "SED": "2202-01-101", "IWR": "2700-01-800", "PWD": "3054-04-337"}


class _Writer:
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


def _hkrnl_cells(draw: _Draw, p: Person, hid: str) -> list[str]:
    rng = draw.rng
    split = p.joining + timedelta(days=rng.randrange(300, 2500))
    deployments = f"{p.joining:%d-%m-%Y}:"
    if split < APPOINTED and rng.random() < 0.4:
        deployments = f"{p.joining:%d-%m-%Y}:{split:%d-%m-%Y};{split + timedelta(days=1):%d-%m-%Y}:"
    return [
        hid,
        p.name,
        draw.aadhaar(),
        _date_text(draw, p.birth),
        _date_text(draw, p.joining),
        _mobile_text(draw, p.record_mobile),
        p.record_family_id,
        p.dept,
        p.office,
        p.post,
        p.ddo,
        hr.DISTRICTS[p.district][1],
        str(p.pay),
        "part_time" if rng.random() < 0.03 else rng.choice(("full_time", "Full Time")),
        "centrally_sponsored" if rng.random() < 0.03 else "state",
        deployments,
        f"{rng.randrange(2, 10)}{rng.randrange(10**11):011d}",
    ]


def _spoil(
    draw: _Draw, cells: list[str], bad: Sequence[tuple[str, str | None]], columns: Sequence[str]
) -> list[str]:
    name, value = draw.rng.choice(bad)
    if value is None:
        return cells[:-1]
    spoiled = list(cells)
    spoiled[columns.index(name)] = value
    return spoiled


@dataclass
class _Payee:
    code: str
    person: Person
    head: str
    tail: list[str]
    aadhaar: str


def _payee(draw: _Draw, code: str, p: Person) -> _Payee:
    obj = (
        draw.rng.choice(hr.OTHER_OBJECT_CODES)
        if p.defect == "non_contractual"
        else ("69" if draw.rng.random() < 0.85 else "01")
    )
    sub = draw.rng.choice(("98", "99"))
    if int(p.person[1:]) % 20 == 0:  # paid from a centrally sponsored scheme's head
        sub = CSS_SUB_HEAD
    head = f"{_HEADS.get(p.dept, '2052-00-090')}-{sub}-{obj}"
    tail = [
        _mobile_text(draw, p.record_mobile),
        p.record_family_id,
        p.birth.isoformat(),
        _date_text(draw, p.joining),
        p.dept,
        p.office,
        p.post,
        hr.DISTRICTS[p.district][1],
    ]
    return _Payee(code, p, head, tail, draw.aadhaar())


def _line(draw: _Draw, payee: _Payee, month: date, month_text: str) -> list[str] | None:
    p = payee.person
    if month < p.joining.replace(day=1):
        return None
    month_days = ((month + timedelta(days=32)).replace(day=1) - month).days
    days = month_days - (p.joining.day - 1 if month <= p.joining else draw.rng.choice((0, 0, 0, 2)))
    return [
        payee.code,
        p.name,
        payee.aadhaar,
        p.ddo,
        hr.DISTRICTS[p.district][2],
        payee.head,
        month_text,
        str(days),
        str(round(p.pay * days / month_days)),
        *payee.tail,
    ]


def _head_rows() -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for base in sorted({*_HEADS.values(), "2052-00-090"}):
        for sub, funding in (("97", "centrally_sponsored"), ("98", "state"), ("99", "state")):
            head = f"{base}-{sub}"
            name = f"Head {head}" + (" (centrally sponsored scheme)" if sub == CSS_SUB_HEAD else "")
            rows.append(
                ("head", head, name, "", "", "Y", "" if head == UNCLASSIFIED_HEAD else funding, "")
            )
    return rows


def _write_master(path: Path) -> int:
    depts = dict(hr.DEPARTMENTS)
    rows: list[tuple[str, ...]] = [
        ("department", c, n, "", "", "Y", "", "") for c, n in hr.DEPARTMENTS
    ]
    rows += [("post", c, n, "", "", "Y", "", "full_time") for c, n in hr.POSTS]
    rows.append(("post", *PART_TIME_POST, "", "", "Y", "", "part_time"))
    rows += _head_rows()
    for dept in depts:
        for i, (_, district, _) in enumerate(hr.DISTRICTS):
            office = _office(dept, i)
            rows.append(
                ("office", office, f"{depts[dept]}, {district}", "department", dept, "Y", "", "")
            )
            name = f"DDO {depts[dept]}, {district}"
            rows.append(("ddo", _ddo(dept, i), name, "office", office, "Y", "", ""))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MASTER_COLUMNS)
        writer.writerows(rows)
    return len(rows)


def _entry(p: Person, employee_id: str, defects: list[str], accepted: bool) -> dict[str, Any]:
    return {
        "employee_id": employee_id,
        "person": p.person,
        "defects": defects,
        "accepted": accepted,
        "true_mobile": p.mobile,
        "true_family_id": p.family_id,
        "record_mobile": p.record_mobile,
        "record_family_id": p.record_family_id,
        "department_code": p.dept,
        "office_code": p.office,
        "ddo_code": p.ddo,
    }


class _Run:
    """State of one generation: the draw, the writers, the counts, the manifest rows."""

    def __init__(self, out_dir: Path, seed: int, mix: DefectMix, people: int) -> None:
        self.draw, self.mix = _Draw(seed), mix
        self.plan = mix.plan(people, self.draw.rng)
        skip = set() if mix.aadhaar_column else {"aadhaar_no", "ref_no", "Aadhar_No"}
        self.hkrnl = _Writer(out_dir / "hkrnl.csv", HKRNL_COLUMNS, skip, bom=True)
        self.ebilling = _Writer(out_dir / "ebilling.csv", EBILLING_COLUMNS, skip, bom=False)
        self.expected = {s: Expected() for s in ("hkrnl", "ebilling", "master")}
        self.people: list[dict[str, Any]] = []
        self.payees: list[_Payee] = []
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
        p = _person(self.draw, index, defect)
        if p.defect == "missing_master":
            self.missing["ddo"].add(p.ddo)
            if p.office != _office(p.dept, p.district):
                self.missing["office"].add(p.office)
        if to_hkrnl:
            self._hkrnl(p, both)
        if not to_hkrnl or both:
            self._ebilling(p, both)

    def _hkrnl(self, p: Person, both: bool) -> None:
        hid = f"HKRN{int(p.person[1:]):07d}"
        cells = _hkrnl_cells(self.draw, p, hid)
        bad = p.defect == "malformed"
        copies = 2 if p.defect == "duplicate" else 1
        row = _spoil(self.draw, cells, HKRNL_BAD, HKRNL_COLUMNS) if bad else cells
        for _ in range(copies):
            self.hkrnl.row(row)
        tally = self.expected["hkrnl"]
        tally.received += copies
        tally.rejected += copies if bad else 0
        tally.accepted += 0 if bad else copies
        tally.employees += 0 if bad else copies
        tally.distinct_employees += 0 if bad else 1
        defects = [d for d in (p.defect, "both_sources" if both else None) if d]
        self.people.append(_entry(p, f"hkrnl:{hid}", defects, not bad))

    def _payee(self, code: str, p: Person) -> _Payee:
        payee = _payee(self.draw, code, p)
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
        self.people.append(_entry(p, f"ebilling:{code}", defects, True))
        if p.defect == "duplicate" and not both:
            twin = f"E{int(p.person[1:]) + 50_000_000:08d}"
            self.payees.append(self._payee(twin, p))
            self.people.append(_entry(p, f"ebilling:{twin}", ["duplicate"], True))

    def write_lines(self) -> None:
        tally = self.expected["ebilling"]
        last: dict[str, list[str]] = {}
        for month in PAY_MONTHS:
            month_text = f"{month:%m-%Y}"
            for payee in self.payees:
                line = _line(self.draw, payee, month, month_text)
                if line is not None:
                    self.ebilling.row(line)
                    tally.received += 1
                    if payee.person.defect == "malformed":
                        last[payee.code] = line
        tally.employees = tally.distinct_employees = len(self.payees)
        for payee in self.payees:
            if payee.code in last:
                self.ebilling.row(
                    _spoil(self.draw, last[payee.code], EBILLING_BAD, EBILLING_COLUMNS)
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
    masters = _write_master(out_dir / "master.csv")
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
