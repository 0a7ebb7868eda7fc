"""Codes derived from the server key and the challenge: the same on a re-send, different
per challenge and per key; and what a challenge stays bound to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from otp.domain.challenge import Challenge, binding, derive_code, precheck, still_bound


def test_a_code_is_the_same_for_the_same_challenge_and_differs_otherwise() -> None:
    code = derive_code("key", "c1", "nonce", 6)

    assert code == derive_code("key", "c1", "nonce", 6)
    assert len(code) == 6
    assert code.isdigit()
    assert len(derive_code("key", "c1", "nonce", 8)) == 8
    per_challenge = {derive_code("key", f"c{i}", "nonce", 6) for i in range(50)}
    per_nonce = {derive_code("key", "c1", f"n{i}", 6) for i in range(50)}
    per_key = {derive_code(f"key{i}", "c1", "nonce", 6) for i in range(50)}
    assert min(len(per_challenge), len(per_nonce), len(per_key)) > 45


def challenge(mobile_key: str) -> Challenge:
    now = datetime(2026, 2, 1, tzinfo=UTC)
    return Challenge(
        challenge_id="c1",
        employee_id="ebilling:E1",
        mobile_key=mobile_key,
        client="hkcl-portal",
        code_hash="h",
        code_nonce="n",
        created_at=now,
        expires_at=now + timedelta(minutes=10),
    )


def test_a_challenge_stays_bound_only_to_its_mobile_while_the_gate_is_open() -> None:
    sent = challenge("key-of-mobile-a")

    assert still_bound(sent, binding("key-of-mobile-a", gate_open=True))
    assert not still_bound(sent, binding("key-of-mobile-a", gate_open=False))
    assert not still_bound(sent, binding("key-of-mobile-b", gate_open=True))
    assert not still_bound(sent, binding(None, gate_open=True))
    assert not still_bound(challenge(""), binding("key-of-mobile-a", gate_open=True))


def test_an_invalidated_challenge_is_answered_before_its_code_is_compared() -> None:
    invalidated = challenge("k").model_copy(update={"state": "invalidated"})
    assert precheck(invalidated, datetime(2026, 2, 1, tzinfo=UTC)) == "challenge_invalidated"
