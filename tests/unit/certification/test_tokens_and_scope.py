"""Tokens carry role and offices; the scope rules follow seeds 000 and 001."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from certification import tokens
from certification.domain import access
from certification.domain.access import Principal
from certification.domain.refusal import Refusal

SECRET = "k" * 40
NOW = datetime.now(UTC)


def test_an_issued_token_verifies_to_its_principal() -> None:
    token = tokens.issue(SECRET, "officer1", "ddo", ["DDO123", "DDO9"], 8, NOW)

    assert tokens.verify(SECRET, token) == Principal(
        "officer1", "ddo", frozenset({"DDO123", "DDO9"})
    )


def test_an_expired_token_is_refused() -> None:
    token = tokens.issue(SECRET, "officer1", "ddo", ["D"], 1, NOW - timedelta(hours=2))

    with pytest.raises(tokens.TokenError, match="expired"):
        tokens.verify(SECRET, token)


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = tokens.issue("z" * 40, "officer1", "hrd", [], 1, NOW)

    with pytest.raises(tokens.TokenError, match="signature"):
        tokens.verify(SECRET, token)


def test_an_unknown_role_cannot_be_issued() -> None:
    with pytest.raises(tokens.TokenError, match="role must be one of"):
        tokens.issue(SECRET, "x", "treasury", [], 1, NOW)


def test_hrd_lists_everything_and_an_officer_only_their_offices() -> None:
    hrd = Principal("h", "hrd", frozenset())
    hod = Principal("o", "hod", frozenset({"B", "A"}))

    assert access.visible_offices(hrd, None) is None
    assert access.visible_offices(hod, None) == ["A", "B"]
    assert access.visible_offices(hod, "A") == ["A"]
    assert isinstance(access.visible_offices(hod, "C"), Refusal)


def test_only_officers_in_scope_with_their_own_role_may_submit() -> None:
    ddo = Principal("o", "ddo", frozenset({"A"}))
    hrd = Principal("h", "hrd", frozenset({"A"}))

    assert access.may_submit(ddo, "A", "ddo") is None
    assert access.may_submit(ddo, "B", "ddo") is not None
    assert access.may_submit(ddo, "A", "hod") is not None
    assert access.may_submit(hrd, "A", "ddo") is not None
