"""The Act's rules at their boundaries, and the OTP gate's reason codes."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.ingest import FieldIssue, ServicePeriod
from otp.domain.decision import APPOINTED_DATE, decide
from otp.domain.reasons import ELIGIBILITY_TEXT, REASONS
from otp.domain.rules import (
    add_years,
    paid_days_between,
    placed_in_service,
    qualifying_years,
    year_windows,
)
from tests.factories.otp import certification, record


def codes(findings: tuple[object, ...]) -> list[str]:
    return [f.code for f in findings]  # type: ignore[attr-defined]


# --- the gate -------------------------------------------------------------------------


def test_a_qualifying_record_opens_the_gate_and_is_eligible_with_its_tier() -> None:
    decision = decide("e1", record(joined=date(2015, 4, 1)), [])
    assert decision.gate.open
    assert decision.eligibility.status == "eligible"
    assert decision.eligibility.qualifying_years == 9
    assert decision.eligibility.additional_remuneration_percent == 10


def test_no_record_closes_the_gate() -> None:
    assert codes(decide("e1", None, []).gate.reasons) == ["no_record"]


def test_a_missing_mobile_closes_the_gate_with_the_source_issue_as_evidence() -> None:
    issue = FieldIssue(field="mobile", reason="'98765' is not a 10-digit mobile number")
    decision = decide("e1", record(mobile=None, issues=(issue,)), [])
    assert codes(decision.gate.reasons) == ["mobile_missing"]
    assert decision.gate.reasons[0].evidence["issues"] == [issue.reason]


def test_a_certified_mobile_fixes_a_missing_one() -> None:
    fixed = certification("e1", covers=("mobile_changed",), corrected_mobile="9123456780")
    assert decide("e1", record(mobile=None), [fixed]).gate.open


def test_a_missing_family_id_closes_the_gate() -> None:
    assert codes(decide("e1", record(family_id=None), []).gate.reasons) == ["family_id_missing"]


@pytest.mark.parametrize("code", ["33", "87", "02"])
def test_pay_from_a_non_contractual_head_closes_the_gate(code: str) -> None:
    decision = decide("e1", record(object_codes=(code,)), [])
    assert codes(decision.gate.reasons) == ["non_contractual_head"]


@pytest.mark.parametrize("code", ["69", "01"])
def test_pay_from_a_contractual_head_keeps_it_open(code: str) -> None:
    assert decide("e1", record(object_codes=(code, "87")), []).gate.open


def test_a_certification_in_force_lifts_the_non_contractual_head_block() -> None:
    cert = certification("e1", covers=("non_contractual_head",))
    assert decide("e1", record(object_codes=("87",)), [cert]).gate.open


def test_hkrnl_records_have_no_head_of_account_to_check() -> None:
    hkrnl = record(source="hkrnl", part="I", object_codes=(), employee_id="hkrnl:H1")
    assert decide("hkrnl:H1", hkrnl, []).gate.open


def test_every_gate_code_has_english_and_hindi_text_and_a_next_step() -> None:
    for code in [
        "no_record",
        "mobile_missing",
        "family_id_missing",
        "non_contractual_head",
        "mobile_mismatch",
        "family_id_mismatch",
        "not_found",
        "rate_limited",
        "challenge_locked",
    ]:
        text = REASONS[code]
        assert text.title_en
        assert text.next_step_en
        assert any("\u0900" <= ch <= "\u097f" for ch in text.title_hi + text.next_step_hi)


# --- qualifying years ---------------------------------------------------------------


def test_joining_five_years_and_one_day_before_the_appointed_date_qualifies() -> None:
    joined = date(2019, 8, 14)
    assert decide("e", record(joined=joined), []).eligibility.qualifying_years == 5


def test_joining_one_day_later_still_gives_five_years_ending_on_or_before_it() -> None:
    joined = date(2019, 8, 15)
    assert decide("e", record(joined=joined), []).eligibility.qualifying_years == 5


def test_the_last_day_to_join_is_the_one_whose_fifth_year_ends_on_the_appointed_date() -> None:
    assert year_windows(date(2019, 8, 16), APPOINTED_DATE)[-1][1] == APPOINTED_DATE
    assert decide("e", record(joined=date(2019, 8, 16)), []).eligibility.status == "eligible"
    late = decide("e", record(joined=date(2019, 8, 17)), [])
    assert late.eligibility.status == "not_eligible"
    assert codes(late.eligibility.reasons) == ["short_service"]
    assert late.eligibility.qualifying_years == 4


def test_a_year_with_exactly_240_paid_days_counts_and_239_does_not() -> None:
    joined = date(2019, 1, 1)
    periods = [
        ServicePeriod(
            start=add_years(joined, k),
            end=add_years(joined, k) + timedelta(days=239),
            days_paid=240,
        )
        for k in range(5)
    ]
    years, _ = qualifying_years(periods, joined, APPOINTED_DATE)
    assert years == 5
    short = [
        p.model_copy(update={"days_paid": 239}) if i == 2 else p for i, p in enumerate(periods)
    ]
    years, evidence = qualifying_years(short, joined, APPOINTED_DATE)
    assert years == 4
    assert evidence[2]["paid_days"] == 239
    assert not evidence[2]["qualifies"]


def test_a_year_from_29_february_ends_on_28_february() -> None:
    windows = year_windows(date(2016, 2, 29), APPOINTED_DATE)
    assert windows[0] == (date(2016, 2, 29), date(2017, 2, 28))
    assert windows[1][0] == date(2017, 3, 1)
    assert decide("e", record(joined=date(2016, 2, 29)), []).eligibility.qualifying_years == 8


def test_service_in_several_departments_is_aggregated() -> None:
    joined = date(2018, 1, 1)
    periods = (
        ServicePeriod(
            start=joined, end=date(2020, 12, 31), days_paid=1096, department_code="HEALTH"
        ),
        ServicePeriod(
            start=date(2021, 1, 1), end=date(2025, 1, 31), days_paid=1492, department_code="PWD"
        ),
    )
    decision = decide("e", record(joined=joined, service_periods=periods), [])
    assert decision.eligibility.qualifying_years == 6


_periods = st.lists(
    st.builds(
        lambda start, length, days: ServicePeriod(
            start=start, end=start + timedelta(days=length - 1), days_paid=days
        ),
        st.dates(date(2005, 1, 1), date(2025, 12, 31)),
        st.integers(1, 800),
        st.integers(0, 800),
    ),
    max_size=8,
)


@given(_periods, st.dates(date(2004, 1, 1), date(2026, 12, 31)), st.integers(0, 900))
def test_paid_days_are_each_period_s_days_in_proportion_to_its_overlap(
    periods: list[ServicePeriod], start: date, span: int
) -> None:
    end = start + timedelta(days=span)
    expected = Fraction(0)
    for p in periods:
        overlap = (min(p.end, end) - max(p.start, start)).days + 1
        if overlap > 0:
            expected += Fraction(p.days_paid * overlap, (p.end - p.start).days + 1)
    assert paid_days_between(periods, start, end) == expected


@given(_periods, st.dates(date(2000, 1, 1), date(2024, 8, 15)))
def test_each_year_s_evidence_is_its_paid_days(periods: list[ServicePeriod], joined: date) -> None:
    years, evidence = qualifying_years(periods, joined, APPOINTED_DATE)
    placed = placed_in_service(periods, joined)
    for year in evidence:
        start, end = date.fromisoformat(year["from"]), date.fromisoformat(year["to"])
        assert year["paid_days"] == float(paid_days_between(placed, start, end))
        assert year["qualifies"] == (paid_days_between(placed, start, end) >= 240)
    assert years == sum(year["qualifies"] for year in evidence)


def test_a_period_touching_a_year_by_one_day_counts_that_day() -> None:
    joined = date(2019, 1, 1)  # years 2019-01-01..2019-12-31, 2020-01-01..2020-12-31, ...
    last_day_of_first = ServicePeriod(start=date(2019, 12, 31), end=date(2020, 1, 1), days_paid=2)
    _, evidence = qualifying_years([last_day_of_first], joined, APPOINTED_DATE)
    assert [year["paid_days"] for year in evidence[:3]] == [1, 1, 0]
    first_day_of_second = ServicePeriod(start=date(2019, 12, 1), end=date(2020, 1, 1), days_paid=32)
    _, evidence = qualifying_years([first_day_of_second], joined, APPOINTED_DATE)
    assert [year["paid_days"] for year in evidence[:3]] == [31, 1, 0]


def test_a_period_straddling_two_years_is_shared_in_proportion() -> None:
    joined = date(2019, 1, 1)
    period = ServicePeriod(start=date(2019, 7, 1), end=date(2020, 6, 30), days_paid=366)
    years, evidence = qualifying_years([period], joined, APPOINTED_DATE)
    assert evidence[0]["paid_days"] == 184
    assert evidence[1]["paid_days"] == 182
    assert years == 0


def _paid_from(start: date) -> tuple[ServicePeriod, ...]:
    """An e-Billing export's view: paid every day from `start` (the first month in it)."""
    until = date(2024, 8, 31)
    return (ServicePeriod(start=start, end=until, days_paid=(until - start).days + 1),)


def test_years_before_the_first_month_in_the_e_billing_data_are_unknown_not_short() -> None:
    joined, data_from = date(2012, 6, 1), date(2023, 9, 1)
    decision = decide("e", record(joined=joined, service_periods=_paid_from(data_from)), [])
    assert decision.eligibility.status == "undetermined"
    [reason] = decision.eligibility.reasons
    assert reason.code == "service_before_data"
    assert reason.evidence["data_from"] == "2023-09-01"
    # Jun 2023 - May 2024 has 274 paid days in the data; the 11 years before it are unknown.
    assert reason.evidence["qualifying_years"] == 1
    assert reason.evidence["years_before_data"] == 11


def test_too_few_years_since_joining_is_short_even_if_every_unknown_year_counted() -> None:
    joined = date(2021, 3, 1)
    decision = decide("e", record(joined=joined, service_periods=_paid_from(date(2023, 9, 1))), [])
    assert decision.eligibility.status == "not_eligible"
    assert codes(decision.eligibility.reasons) == ["short_service"]


def test_hkrnl_deployments_are_the_whole_history_so_a_late_start_is_short() -> None:
    hkrnl = record(
        "hkrnl:H1",
        source="hkrnl",
        part="I",
        joined=date(2012, 6, 1),
        service_periods=_paid_from(date(2023, 9, 1)),
    )
    decision = decide("hkrnl:H1", hkrnl, [])
    assert decision.eligibility.status == "not_eligible"
    assert codes(decision.eligibility.reasons) == ["short_service"]


# --- cap, exclusions, age, appointed date ------------------------------------------


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
