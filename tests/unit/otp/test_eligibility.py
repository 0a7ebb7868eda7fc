"""The Act's other conditions of eligibility at their boundaries: the Rs 50,000 cap (not
for HKRNL deployed persons), the exclusions, the age of 58 and paid service on the
appointed date; missing inputs make a decision undetermined and say which; every
eligibility code has an explanation, and any valid record gets a decision."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otp.domain.decision import decide
from otp.domain.reasons import ELIGIBILITY_TEXT
from tests.factories.otp import record
from tests.unit.otp.findings import codes


def test_exactly_rs_50000_is_within_the_cap_and_one_rupee_more_is_not() -> None:
    assert decide("e", record(monthly_remuneration=50_000), []).eligibility.status == "eligible"
    above = decide("e", record(monthly_remuneration=50_001), [])
    assert codes(above.eligibility.reasons) == ["remuneration_above_cap"]


def test_the_cap_does_not_apply_to_hkrnl_deployed_persons() -> None:
    hkrnl = record(source="hkrnl", part="I", object_codes=(), monthly_remuneration=60_000)
    assert decide("e", hkrnl, []).eligibility.status == "eligible"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"scheme": "centrally_sponsored"}, "centrally_sponsored_scheme"),
        ({"employment": "part_time"}, "part_time"),
    ],
)
def test_the_exclusions_make_a_person_not_eligible(fields: dict[str, str], code: str) -> None:
    decision = decide("e", record(**fields), [])
    assert decision.eligibility.status == "not_eligible"
    assert codes(decision.eligibility.reasons) == [code]


def test_turning_58_on_the_appointed_date_is_not_older_than_58_but_a_day_earlier_is() -> None:
    assert decide("e", record(date_of_birth=date(1966, 8, 15)), []).eligibility.status == "eligible"
    older = decide("e", record(date_of_birth=date(1966, 8, 14)), [])
    assert codes(older.eligibility.reasons) == ["over_age"]


def test_not_in_paid_service_on_the_appointed_date() -> None:
    decision = decide("e", record(joined=date(2012, 1, 1), until=date(2024, 8, 14)), [])
    assert codes(decision.eligibility.reasons) == ["not_in_service_on_appointed_date"]


def test_missing_inputs_make_the_decision_undetermined_and_say_which() -> None:
    decision = decide("e", record(date_of_joining=None, date_of_birth=None), [])
    assert decision.eligibility.status == "undetermined"
    assert set(codes(decision.eligibility.reasons)) == {
        "date_of_birth_missing",
        "date_of_joining_missing",
    }


def test_every_eligibility_code_has_an_explanation() -> None:
    samples = [
        record(),
        record(
            scheme="centrally_sponsored",
            employment="part_time",
            monthly_remuneration=None,
            date_of_birth=None,
            date_of_joining=None,
            service_periods=(),
        ),
    ]
    for sample in [*samples, None]:
        for finding in decide("e", sample, []).eligibility.reasons:
            assert finding.code in ELIGIBILITY_TEXT


@given(
    joined=st.dates(min_value=date(1990, 1, 1), max_value=date(2024, 8, 15)),
    length=st.integers(min_value=0, max_value=12_000),
    pay=st.integers(min_value=0, max_value=200_000),
    object_code=st.sampled_from(["69", "01", "33", "87", "02"]),
    mobile=st.one_of(st.none(), st.just("9876543210")),
)
def test_any_valid_record_gets_a_decision_and_the_gate_is_open_iff_no_reasons(
    joined: date, length: int, pay: int, object_code: str, mobile: str | None
) -> None:
    until = date.fromordinal(joined.toordinal() + length)
    decision = decide(
        "e",
        record(
            joined=joined,
            until=until,
            monthly_remuneration=pay,
            object_codes=(object_code,),
            mobile=mobile,
        ),
        [],
    )
    assert decision.gate.open == (not decision.gate.reasons)
    assert decision.eligibility.status in {"eligible", "not_eligible", "undetermined"}
    if decision.eligibility.status == "eligible":
        assert (decision.eligibility.qualifying_years or 0) >= 5
