"""What HRD works with: certifications beside the source data as it stands now, and
advice and activation in bulk (each id its own state change, audit entry and event)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field

from certification import services
from certification.domain import access
from certification.domain.access import Principal
from certification.domain.model import Certification, Placement
from certification.domain.refusal import Refusal
from certification.services import Deps
from servicekit.pii import mask_mobile

MAX_BULK = 500


class MobileChange(BaseModel):
    """A corrected mobile, as HRD compares it: both masked."""

    in_data_masked: str | None = Field(description="The mobile the source data holds, masked")
    new_masked: str = Field(description="The corrected mobile, masked")


class CertificationView(Certification):
    """A certification with the employee's placement in the data as it is now."""

    placement_now: Placement | None = Field(
        default=None, description="Where the source data places the employee today"
    )
    moved_since_submission: bool = Field(
        default=False,
        description="The data now places the employee in another office than at submission",
    )
    mobile_change: MobileChange | None = None


async def with_data(deps: Deps, certs: Sequence[Certification]) -> list[CertificationView]:
    now = await deps.directory.placements([c.submission.employee_id for c in certs])
    views = []
    for cert in certs:
        placed = now.get(cert.submission.employee_id)
        then = cert.placement
        moved = bool(then and placed and then.office_code != placed.office_code)
        change = None
        if cert.submission.corrected_mobile:
            current = placed or then
            change = MobileChange(
                in_data_masked=current.mobile_masked if current else None,
                new_masked=mask_mobile(cert.submission.corrected_mobile),
            )
        views.append(
            CertificationView(
                **dict(cert),
                placement_now=placed,
                moved_since_submission=moved,
                mobile_change=change,
            )
        )
    return views


@dataclass(frozen=True)
class Outcome:
    """One id of a bulk call: done, or why not."""

    id: str
    done: bool
    state: str | None = None
    reason: str | None = None
    message: str | None = None


def _outcome(cert_id: str, result: Certification | Refusal) -> Outcome:
    if isinstance(result, Refusal):
        return Outcome(cert_id, False, result.current_state, result.reason, result.message)
    return Outcome(cert_id, True, result.state)


def _checked(who: Principal, ids: Sequence[str], action: str) -> list[str] | Refusal:
    if refused := access.may_decide(who, action):
        return refused
    distinct = list(dict.fromkeys(ids))
    if not distinct or len(distinct) > MAX_BULK:
        return Refusal("invalid", f"ids: give 1 to {MAX_BULK} certification ids")
    return distinct


async def bulk_advise(
    deps: Deps, who: Principal, ids: Sequence[str], number: str, on: date
) -> list[Outcome] | Refusal:
    """HRD's one advice (number, date) on many certifications; an answer per id."""
    checked = _checked(who, ids, "record advice")
    if isinstance(checked, Refusal):
        return checked
    return [_outcome(i, await services.advise(deps, who, i, number, on)) for i in checked]


async def bulk_activate(deps: Deps, who: Principal, ids: Sequence[str]) -> list[Outcome] | Refusal:
    """HRD makes many advised certifications effective; an answer per id."""
    checked = _checked(who, ids, "activate")
    if isinstance(checked, Refusal):
        return checked
    return [_outcome(i, await services.activate(deps, who, i)) for i in checked]
