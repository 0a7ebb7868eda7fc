"""Codes derived from the server key and the challenge: the same on a re-send, different
per challenge and per key."""

from __future__ import annotations

from otp.domain.challenge import derive_code


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
