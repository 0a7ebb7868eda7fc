"""The OTP gate and its reason codes: a qualifying record opens it; no record, a missing
mobile or Family ID (the source's issue as evidence) or pay from a non-contractual head
close it, unless a certification in force fixes or lifts that; HKRNL records have no head
of account to check; every gate code has English and Hindi text and a next step."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.ingest import FieldIssue
from otp.domain.decision import decide
from otp.domain.reasons import REASONS
from tests.factories.otp import certification, record
from tests.unit.otp.findings import codes


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
