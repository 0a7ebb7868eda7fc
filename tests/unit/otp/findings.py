"""The codes of a decision's findings (gate or eligibility reasons), in order, as the
rule tests compare them."""

from __future__ import annotations


def codes(findings: tuple[object, ...]) -> list[str]:
    return [f.code for f in findings]  # type: ignore[attr-defined]
