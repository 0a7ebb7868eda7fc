"""The people behind the records: one seeded source of randomness (`Draw`), each person's
true and recorded details (`Person`), where they serve, and how their dates and mobiles are
spelled in a file."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.domain import haryana as hr
from ingest.generator.layout import PART_TIME_POST


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


class Draw:
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


def date_text(draw: Draw, day: date) -> str:
    style = draw.rng.random()
    if style < 0.6:
        return f"{day:%d-%m-%Y}"
    if style < 0.75:
        return f"{day:%d/%m/%Y}"
    if style < 0.9:
        return day.isoformat()
    return str((day - date(1899, 12, 30)).days)


def mobile_text(draw: Draw, mobile: str) -> str:
    style = draw.rng.random()
    if style < 0.7:
        return mobile
    if style < 0.8:
        return f"+91 {mobile}"
    if style < 0.9:
        return f"0{mobile}"
    return f"{mobile[:5]}-{mobile[5:]}"


def office_code(dept: str, district: int) -> str:
    return f"{dept}{hr.DISTRICTS[district][0]}"


def ddo_code(dept: str, district: int) -> str:
    d = [c for c, _ in hr.DEPARTMENTS].index(dept)
    return f"DDO{d * len(hr.DISTRICTS) + district + 1:04d}"


def draw_person(draw: Draw, index: int, defect: str | None) -> Person:
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
    ddo, office = ddo_code(dept, district), office_code(dept, district)
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
