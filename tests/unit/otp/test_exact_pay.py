"""The Rs 50,000 cap reads the exact amount, paise included, never a rounded one."""

from __future__ import annotations

from decimal import Decimal

from otp.domain.decision import decide
from tests.factories.otp import record


def test_50000_rupees_50_paise_is_above_the_cap() -> None:
    paise = record(monthly_remuneration=50_000, monthly_remuneration_exact=Decimal("50000.50"))
    [reason] = decide("e", paise, []).eligibility.reasons
    assert reason.code == "remuneration_above_cap"
    assert reason.evidence == {"monthly_remuneration": "50000.50", "cap": 50_000}


def test_exactly_50000_with_paise_written_is_within_the_cap() -> None:
    exact = record(monthly_remuneration=50_000, monthly_remuneration_exact=Decimal("50000.00"))
    assert decide("e", exact, []).eligibility.status == "eligible"


def test_the_exact_amount_wins_over_the_whole_rupees() -> None:
    below = record(monthly_remuneration=50_001, monthly_remuneration_exact=Decimal("49999.99"))
    assert decide("e", below, []).eligibility.status == "eligible"
