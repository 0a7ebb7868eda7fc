"""HTTP routes of the reconciliation reports: the blocked people of an officer's offices
(counts, and one CSV row per person) and readiness of each part, for departments (their
offices only) and HRD (all). Status codes in `otp.http`."""

import csv
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from otp import services
from otp.domain.decision import RULE_SET_VERSION
from otp.domain.report import (
    CSV_HEADER,
    BlockedPerson,
    Filter,
    OfficeBlocked,
    PartReadiness,
    Scope,
    csv_row,
)


class BlockedReport(BaseModel):
    offices: list[OfficeBlocked]
    rule_set_version: str = RULE_SET_VERSION


class ReadinessReport(BaseModel):
    parts: list[PartReadiness]
    rule_set_version: str = RULE_SET_VERSION


def add_report_routes(
    router: APIRouter, deps: services.Deps, officer: Callable[..., Awaitable[dict[str, Any]]]
) -> None:
    """Reconciliation reports for departments (their offices only) and HRD (all)."""

    @router.get("/reports/blocked", response_model=BlockedReport)
    async def blocked(
        claims: Annotated[dict[str, Any], Depends(officer)],
        department: str | None = None,
        ddo: str | None = None,
    ) -> BlockedReport:
        report = Filter(Scope.from_claims(claims), department, ddo)
        result = await services.blocked_summary(deps, report)
        if isinstance(result, services.OutOfScope):
            raise HTTPException(403, result.reason)
        return BlockedReport(offices=result)

    @router.get(
        "/reports/blocked.csv",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/csv": {}}, "description": "One row per person"}},
    )
    async def blocked_csv(
        claims: Annotated[dict[str, Any], Depends(officer)],
        department: str | None = None,
        ddo: str | None = None,
    ) -> StreamingResponse:
        report = Filter(Scope.from_claims(claims), department, ddo)
        people = services.blocked_list(deps, report)
        if isinstance(people, services.OutOfScope):
            raise HTTPException(403, people.reason)
        return StreamingResponse(
            _csv_lines(people),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="blocked.csv"'},
        )

    @router.get("/reports/readiness", response_model=ReadinessReport)
    async def readiness(claims: Annotated[dict[str, Any], Depends(officer)]) -> ReadinessReport:
        result = await services.readiness(deps, Scope.from_claims(claims))
        if isinstance(result, services.OutOfScope):
            raise HTTPException(403, result.reason)
        return ReadinessReport(parts=result)


async def _csv_lines(people: AsyncIterator[BlockedPerson]) -> AsyncIterator[str]:
    yield _csv_line(CSV_HEADER)
    async for person in people:
        yield _csv_line(csv_row(person))


def _csv_line(cells: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()
