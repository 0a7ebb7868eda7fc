"""Bearer tokens, one per source system, each scoped to its own source."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Literal

from pydantic import SecretStr

Verdict = Literal["ok", "unauthenticated", "forbidden"]


def token_source(authorization: str | None, tokens: Mapping[str, SecretStr]) -> str | None:
    """The source whose token the `Authorization: Bearer` header carries, if any.

    Every token is compared (in constant time) so timing says nothing about which matched.
    """
    scheme, _, presented = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return None
    given = presented.strip().encode()
    matches = [
        source
        for source, token in tokens.items()
        if hmac.compare_digest(given, token.get_secret_value().encode())
    ]
    return matches[0] if matches else None


def check(
    authorization: str | None, tokens: Mapping[str, SecretStr], source: str | None
) -> Verdict:
    """`ok` for the token of `source` (or of any source when `source` is None)."""
    holder = token_source(authorization, tokens)
    if holder is None:
        return "unauthenticated"
    if source is not None and holder != source:
        return "forbidden"
    return "ok"
