"""What the portal's answers say, as the portal tests compare them: the reason codes of
a refusal, in the order given."""

from __future__ import annotations

from typing import Any


async def reason_codes(response: Any) -> list[str]:
    return [reason["code"] for reason in response.json()["reasons"]]
