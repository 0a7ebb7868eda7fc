"""The defects planted: who carries which (`DefectMix`), and how a row is broken for the
malformed defect (`spoil`)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.generator.people import Draw

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


def spoil(
    draw: Draw, cells: list[str], bad: Sequence[tuple[str, str | None]], columns: Sequence[str]
) -> list[str]:
    """The row with one of `bad` planted: a field given a bad value, or (None) its last
    cell cut off."""
    name, value = draw.rng.choice(bad)
    if value is None:
        return cells[:-1]
    spoiled = list(cells)
    spoiled[columns.index(name)] = value
    return spoiled
