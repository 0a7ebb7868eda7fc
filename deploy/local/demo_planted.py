"""What the generator's manifest promises the services will report, person by person
(the demo's yardstick; pure, no service is called here)."""

from __future__ import annotations

from collections import Counter
from typing import Any

PARTS = {"hkrnl": "I", "ebilling": "II"}
SEEN = {"changed_mobile": "mobile_mismatch_seen", "wrong_family_id": "family_id_mismatch_seen"}
REFUSED = {"changed_mobile": "mobile_mismatch", "wrong_family_id": "family_id_mismatch"}


def persons(people: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The accepted ids as the OTP service decides them: the two records of a person in
    both sources are one person (ingest links them), every other id is its own."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in people:
        both = "both_sources" in entry["defects"]
        groups.setdefault(entry["person"] if both else entry["employee_id"], []).append(entry)
    return list(groups.values())


def part_of(ids: list[dict[str, Any]]) -> str:
    parts = {PARTS[entry["employee_id"].split(":")[0]] for entry in ids}
    return "I+II" if parts == {"I", "II"} else parts.pop()


def closed(entry: dict[str, Any], lifted: set[str]) -> bool:
    """The planted gate of one id: only e-Billing pay off the contractual head closes it."""
    return (
        entry["employee_id"].startswith("ebilling:")
        and "non_contractual" in entry["defects"]
        and entry["employee_id"] not in lifted
    )


def refused_defect(ids: list[dict[str, Any]]) -> str | None:
    return next((d for d in REFUSED if d in ids[0]["defects"]), None)


def gates(persons: list[list[dict[str, Any]]], lifted: set[str]) -> dict[str, Counter[str]]:
    """Per part, what the manifest promises once the portal requests are made: persons,
    blocked persons (gate closed, or refused for a mobile or Family ID), per reason."""
    expected: dict[str, Counter[str]] = {"I": Counter(), "II": Counter(), "I+II": Counter()}
    for ids in persons:
        part = expected[part_of(ids)]
        part["total"] += 1
        shut = all(closed(entry, lifted) for entry in ids)
        seen = refused_defect(ids)
        if shut:
            part["non_contractual_head"] += 1
        if seen:
            part[SEEN[seen]] += 1
        part["blocked" if shut or seen else "gate_open"] += 1
    return expected
