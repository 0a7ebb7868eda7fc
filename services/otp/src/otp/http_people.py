"""Read-only routes the departments' console needs from the OTP service: the reason texts
(the same words the portal shows) and one employee's source data, masked.

Added to the OTP router by `build_http`; `officer` is its verified-claims dependency and
`may_see` its one answer to "may this officer see this employee" (the decision route's).
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from contracts.ingest import EmployeeRecordReceived, ServicePeriod
from otp import services
from otp.domain import reasons as reason_module
from otp.domain.reasons import ELIGIBILITY_TEXT, REASONS
from otp.domain.report import initials
from servicekit.pii import mask_family_id, mask_mobile


class ReasonTexts(BaseModel):
    """Every gate reason code in both languages with its next step, and the eligibility
    explanations (English): what the portal and the console show for a code."""

    gate: dict[str, dict[str, str]]
    eligibility: dict[str, str]
    eligibility_hi: dict[str, str] = Field(description="The same in Hindi, where written")


class MaskedRecord(BaseModel):
    """What one source holds on one employee, with the mobile and Family ID masked and
    the name given as initials: enough to recognise the person and prefill a certification."""

    employee_id: str
    source: str
    part: str
    name_initials: str
    mobile: str = Field(description="Masked")
    family_id: str = Field(description="Masked")
    department_code: str | None
    office_code: str | None
    ddo_code: str | None
    post_code: str | None
    district: str | None
    date_of_joining: date | None
    monthly_remuneration: int | None
    employment: str
    scheme: str
    object_codes: tuple[str, ...]
    service_periods: tuple[ServicePeriod, ...]
    linked_employee_ids: tuple[str, ...]
    issues: list[str] = Field(description="'field: reason' for each source defect")


def reason_texts() -> ReasonTexts:
    gate = {
        code: {
            "title_en": text.title_en,
            "title_hi": text.title_hi,
            "next_step_en": text.next_step_en,
            "next_step_hi": text.next_step_hi,
        }
        for code, text in REASONS.items()
    }
    # Hindi eligibility texts live beside the English ones once they are written.
    hindi: dict[str, str] = getattr(reason_module, "ELIGIBILITY_TEXT_HI", {})
    return ReasonTexts(gate=gate, eligibility=dict(ELIGIBILITY_TEXT), eligibility_hi=dict(hindi))


def masked(record: EmployeeRecordReceived) -> MaskedRecord:
    return MaskedRecord(
        employee_id=record.employee_id,
        source=record.source,
        part=record.part,
        name_initials=initials(record.name),
        mobile=mask_mobile(record.mobile),
        family_id=mask_family_id(record.family_id),
        department_code=record.department_code,
        office_code=record.office_code,
        ddo_code=record.ddo_code,
        post_code=record.post_code,
        district=record.district,
        date_of_joining=record.date_of_joining,
        monthly_remuneration=record.monthly_remuneration,
        employment=record.employment,
        scheme=record.scheme,
        object_codes=record.object_codes,
        service_periods=record.service_periods,
        linked_employee_ids=record.linked_employee_ids,
        issues=[f"{issue.field}: {issue.reason}" for issue in record.issues],
    )


def add_people_routes(
    router: APIRouter,
    deps: services.Deps,
    officer: Callable[..., Any],
    may_see: Callable[[dict[str, Any], EmployeeRecordReceived | None], bool],
) -> None:
    @router.get("/reasons", response_model=ReasonTexts, tags=["texts"])
    async def reasons() -> ReasonTexts:
        """Public texts, no personal data: no token needed."""
        return reason_texts()

    @router.get("/employees/{employee_id}/record", response_model=MaskedRecord)
    async def record(
        employee_id: str, claims: Annotated[dict[str, Any], Depends(officer)]
    ) -> MaskedRecord:
        view = await deps.views.get(employee_id)
        found = view.record if view else None
        if not may_see(claims, found):
            raise HTTPException(403, "this employee is not in your offices")
        if found is None:
            raise HTTPException(404, "no record of this employee")
        return masked(found)
