"""A person's rows in the source files: the HKRNL row, and the e-Billing payee with its
monthly payment lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ingest.domain import haryana as hr
from ingest.generator.layout import APPOINTED, CSS_SUB_HEAD, HEADS
from ingest.generator.people import Draw, Person, date_text, mobile_text


def hkrnl_cells(draw: Draw, p: Person, hid: str) -> list[str]:
    rng = draw.rng
    split = p.joining + timedelta(days=rng.randrange(300, 2500))
    deployments = f"{p.joining:%d-%m-%Y}:"
    if split < APPOINTED and rng.random() < 0.4:
        deployments = f"{p.joining:%d-%m-%Y}:{split:%d-%m-%Y};{split + timedelta(days=1):%d-%m-%Y}:"
    return [
        hid,
        p.name,
        draw.aadhaar(),
        date_text(draw, p.birth),
        date_text(draw, p.joining),
        mobile_text(draw, p.record_mobile),
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


@dataclass
class Payee:
    code: str
    person: Person
    head: str
    tail: list[str]
    aadhaar: str


def draw_payee(draw: Draw, code: str, p: Person) -> Payee:
    obj = (
        draw.rng.choice(hr.OTHER_OBJECT_CODES)
        if p.defect == "non_contractual"
        else ("69" if draw.rng.random() < 0.85 else "01")
    )
    sub = draw.rng.choice(("98", "99"))
    if int(p.person[1:]) % 20 == 0:  # paid from a centrally sponsored scheme's head
        sub = CSS_SUB_HEAD
    head = f"{HEADS.get(p.dept, '2052-00-090')}-{sub}-{obj}"
    tail = [
        mobile_text(draw, p.record_mobile),
        p.record_family_id,
        p.birth.isoformat(),
        date_text(draw, p.joining),
        p.dept,
        p.office,
        p.post,
        hr.DISTRICTS[p.district][1],
    ]
    return Payee(code, p, head, tail, draw.aadhaar())


def pay_line(draw: Draw, payee: Payee, month: date, month_text: str) -> list[str] | None:
    """The payee's line for `month`, or None before the month they joined."""
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
