"""Linked records decided as one person: one decision for every id, service counted once."""

from __future__ import annotations

from datetime import date

from contracts.ingest import ServicePeriod
from otp.domain.person import Member, decide_person
from tests.factories.otp import record


def test_every_id_of_a_person_shows_the_same_decision_whoever_asks() -> None:
    hkrnl = record(
        "hkrnl:1",
        source="hkrnl",
        part="I",
        joined=date(2016, 4, 1),
        until=date(2020, 3, 31),
        object_codes=(),
        linked_employee_ids=("ebilling:1",),
    )
    ebilling = record(
        "ebilling:1",
        joined=date(2020, 1, 1),
        object_codes=("87",),
        linked_employee_ids=("hkrnl:1",),
    )
    members = [Member("hkrnl:1", hkrnl, ()), Member("ebilling:1", ebilling, ())]

    one = decide_person("hkrnl:1", members)
    other = decide_person("ebilling:1", list(reversed(members)))

    assert one.eligibility == other.eligibility
    assert one.gate == other.gate
    assert one.gate.open  # HKRNL's gate is open with a valid mobile
    assert one.person_ids == ("ebilling:1", "hkrnl:1")
    assert (one.eligibility.status, one.eligibility.qualifying_years) == ("eligible", 8)


def test_a_day_both_sources_paid_counts_once() -> None:
    # Two sources each paying the same 200 days a year: not 400, so no year qualifies.
    periods = tuple(
        ServicePeriod(start=date(y, 1, 1), end=date(y, 7, 18), days_paid=200)
        for y in range(2017, 2025)
    )
    a = record(
        "hkrnl:2", source="hkrnl", part="I", joined=date(2017, 1, 1), service_periods=periods
    )
    b = record("ebilling:2", joined=date(2017, 1, 1), service_periods=periods)

    decision = decide_person("hkrnl:2", [Member("hkrnl:2", a, ()), Member("ebilling:2", b, ())])

    assert decision.eligibility.qualifying_years == 0
    assert decision.eligibility.status == "not_eligible"


def test_the_persons_gate_is_closed_only_when_every_record_is_closed() -> None:
    a = record("hkrnl:3", source="hkrnl", part="I", mobile=None, object_codes=())
    b = record("ebilling:3", object_codes=("33",))

    decision = decide_person("hkrnl:3", [Member("hkrnl:3", a, ()), Member("ebilling:3", b, ())])

    assert not decision.gate.open
    assert {f.code: set(f.evidence["by_record"]) for f in decision.gate.reasons} == {
        "mobile_missing": {"hkrnl:3"},
        "non_contractual_head": {"ebilling:3"},
    }
