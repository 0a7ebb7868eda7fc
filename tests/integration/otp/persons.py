"""The readiness summary counted in Python from the stored views, person by person, as an
oracle: the harness's consumers also see records other tests publish on the shared
topics, so exact totals are compared with what the views say, not with constants."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.helpers import eventually
from tests.integration.otp.conftest import OtpHarness


def part_of(parts: set[str]) -> str | None:
    return "I+II" if parts == {"I", "II"} else next(iter(parts), None)


def tally(views: list[dict[str, Any]]) -> dict[str | None, dict[str, Any]]:
    people: dict[str, list[dict[str, Any]]] = {}
    for view in views:
        people.setdefault(view.get("person_id") or view["_id"], []).append(view)
    parts: dict[str | None, dict[str, Any]] = {}
    for members in people.values():
        part = part_of({m["record"]["part"] for m in members if m.get("record")})
        entry = parts.setdefault(
            part, {"total": 0, "gate_open": 0, "reasons": Counter(), "eligibility": Counter()}
        )
        entry["total"] += 1
        blocked = any(m.get("blocked") for m in members)
        entry["gate_open"] += not blocked
        if blocked:
            entry["reasons"].update({c for m in members for c in m.get("blocked_reasons", [])})
        entry["eligibility"][members[0]["decision"]["eligibility"]["status"]] += 1
    return {
        part: {
            "part": part,
            "total": entry["total"],
            "gate_open": entry["gate_open"],
            "blocked": entry["total"] - entry["gate_open"],
            "blocked_by_reason": dict(sorted(entry["reasons"].items())),
            "eligibility": dict(sorted(entry["eligibility"].items())),
        }
        for part, entry in parts.items()
    }


async def readiness(otp: OtpHarness) -> dict[str | None, dict[str, Any]]:
    """The summary once it agrees with the views it summarises (both read together)."""

    async def agreeing() -> dict[str | None, dict[str, Any]] | None:
        response = await otp.client.get("/v1/reports/readiness", headers=otp.officer("hrd"))
        summary = {p["part"]: p for p in response.json()["parts"]}
        views = await otp.db["views"].find({}).to_list()
        return summary if summary == tally(views) else None

    return await eventually(agreeing)
