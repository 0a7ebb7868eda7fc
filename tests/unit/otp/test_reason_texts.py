"""Every reason a person or an office can be shown has its text in English and Hindi."""

from __future__ import annotations

import re

from otp.domain.reasons import ELIGIBILITY_TEXT, ELIGIBILITY_TEXT_HI, REASONS

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def test_every_eligibility_reason_has_a_hindi_text() -> None:
    assert set(ELIGIBILITY_TEXT_HI) == set(ELIGIBILITY_TEXT)
    for code, text in ELIGIBILITY_TEXT_HI.items():
        assert DEVANAGARI.search(text), code


def test_every_gate_and_refusal_reason_has_a_hindi_title_and_next_step() -> None:
    for code, text in REASONS.items():
        assert DEVANAGARI.search(text.title_hi), code
        assert DEVANAGARI.search(text.next_step_hi), code
    assert {"mobile_mismatch_seen", "family_id_mismatch_seen"} <= set(REASONS)
