"""What an identity refusal of an OTP request may tell, and how often (docs/otp.md,
"What a refusal reveals").

`not_found`, `family_id_mismatch` and `mobile_mismatch` answer "who is this?": each is an
oracle on the Family ID or the mobile typed. So each is counted against both, under keyed
hashes (never in clear); once either has used up its refusals of the window, a request
naming it is answered 429 before any look-up, which tells nothing, not even whether this
pair would have matched; and the masked mobile hint comes only with the first refusals of
a Family ID in the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from otp.ports import Guards
from otp.settings import OtpSettings
from servicekit.pii import keyed_hash

IDENTITY_REFUSALS = frozenset({"not_found", "family_id_mismatch", "mobile_mismatch"})
WINDOW_SECONDS = 3600


def keys(s: OtpSettings, family_id: str, mobile: str) -> tuple[str, str]:
    """The keys the typed Family ID and mobile are counted under."""
    key = s.hmac_key.get_secret_value()
    return keyed_hash(key, "family_id", family_id), keyed_hash(key, "mobile", mobile)


def throttled(s: OtpSettings, refusals: int, now: datetime) -> int | None:
    """Seconds to wait when the typed Family ID or mobile used up its refusals (`refusals`:
    the most counted against either in the window, read with the request's look-up)."""
    if refusals < s.refusals_per_hour:
        return None
    return window_left(now)


async def reveal(
    guards: Guards, s: OtpSettings, counted: Sequence[str], now: datetime
) -> Literal["with_hints", "reasons_only"] | int:
    """Count one identity refusal against the Family ID and the mobile; how much of it may
    be told, or the seconds to wait when it went past the limit (requests racing)."""
    family_count, mobile_count = await guards.count_refusal(counted, WINDOW_SECONDS, now)
    if max(family_count, mobile_count) > s.refusals_per_hour:
        return window_left(now)
    return "with_hints" if family_count <= s.refusal_hints_per_hour else "reasons_only"


def window_left(now: datetime) -> int:
    return WINDOW_SECONDS - int(now.timestamp()) % WINDOW_SECONDS
