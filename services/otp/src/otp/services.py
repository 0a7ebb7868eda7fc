"""Use cases of the OTP service: load through a port, call the domain, save, publish.

No FastAPI or FastStream here; `http.py` and `handlers.py` translate. By role: the OTP
request in `otp.issuing`, verification and delivery in `otp.verifying`, the view in
`otp.views`; the reconciliation reports here. Each is reachable from this module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from otp.deps import Clock, Deps
from otp.domain.report import BlockedPerson, Filter, OfficeBlocked, PartReadiness, Scope
from otp.issuing import (
    Accepted,
    Refused,
    find_employee,
    normalise_family_id,
    normalise_mobile,
    one_person,
    record_refusal,
    request_otp,
)
from otp.verifying import Verification, record_deliveries, verify_otp
from otp.views import apply_event, apply_records

__all__ = [
    "Accepted",
    "Clock",
    "Deps",
    "Refused",
    "Verification",
    "apply_event",
    "apply_records",
    "find_employee",
    "normalise_family_id",
    "normalise_mobile",
    "one_person",
    "record_deliveries",
    "record_refusal",
    "request_otp",
    "verify_otp",
]


# --- reconciliation reports ------------------------------------------------------------


@dataclass(frozen=True)
class OutOfScope:
    """A report the caller may not see (another office, or an HRD-only report)."""

    reason: str


def _check_ddo(report: Filter) -> OutOfScope | None:
    if report.ddo is not None and not report.scope.allows(report.ddo):
        return OutOfScope(f"DDO {report.ddo} is not one of your offices")
    return None


async def blocked_summary(deps: Deps, report: Filter) -> list[OfficeBlocked] | OutOfScope:
    """How many people are blocked per department and DDO, per gate reason code."""
    return _check_ddo(report) or await deps.reports.blocked_by_office(report)


def blocked_list(deps: Deps, report: Filter) -> AsyncIterator[BlockedPerson] | OutOfScope:
    """The blocked people of the offices in scope, so an office learns whom to certify."""
    return _check_ddo(report) or deps.reports.blocked_people(report)


async def readiness(deps: Deps, scope: Scope) -> list[PartReadiness] | OutOfScope:
    """Portal readiness per source part, for HRD only."""
    if not scope.is_hrd:
        return OutOfScope("the readiness summary is for HRD")
    return await deps.reports.readiness()
