"""HTTP routes of the decisions on a submitted certification: HRD's advice, activation
(one by one or in bulk) and rejection, and revocation (HRD or the office); with their
request and response bodies.

Added to the certification router by `certification.http.build_router`; `principal` is its
verified-officer dependency. The bulk routes are declared before `/{cert_id}/...`, so that
`bulk` is never taken for a certification id. No `from __future__ import annotations`:
FastAPI must resolve the route-local `Who` alias when the routes are declared.
"""

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, field_validator

from certification import hrd, services
from certification.domain.access import Principal
from certification.domain.model import Certification
from certification.domain.refusal import Refusal
from certification.hrd import MAX_BULK
from certification.http_refusals import refuse, unless_refused
from certification.services import Deps
from servicekit.aadhaar import redact_aadhaar
from servicekit.text import text_problem


class Advice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    advice_number: str = Field(min_length=1, max_length=200, description="HRD's advice number")
    advice_date: date

    @field_validator("advice_number", mode="after")
    @classmethod
    def _without_aadhaar(cls, value: str) -> str:
        if problem := text_problem(value):
            raise ValueError(problem)
        return redact_aadhaar(value)[0]


class BulkAdvice(Advice):
    ids: list[str] = Field(min_length=1, max_length=MAX_BULK, description="Certification ids")


class BulkIds(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[str] = Field(min_length=1, max_length=MAX_BULK, description="Certification ids")


class Outcome(BaseModel):
    id: str
    done: bool
    state: str | None = Field(default=None, description="State after (or, if refused, now)")
    reason: str | None = Field(default=None, description="Why not, when not done")
    message: str | None = None


class BulkResult(BaseModel):
    done: int
    refused: int
    results: list[Outcome] = Field(description="One per distinct id, in the order given")


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=3, max_length=2000)

    @field_validator("reason", mode="after")
    @classmethod
    def _without_aadhaar(cls, value: str) -> str:
        if problem := text_problem(value):
            raise ValueError(problem)
        return redact_aadhaar(value)[0]


def _bulk(result: list[hrd.Outcome] | Refusal) -> BulkResult:
    if isinstance(result, Refusal):
        refuse(result)
    outcomes = [Outcome(**asdict(o)) for o in result]
    done = sum(o.done for o in outcomes)
    return BulkResult(done=done, refused=len(outcomes) - done, results=outcomes)


def add_decision_routes(router: APIRouter, deps: Deps, principal: Callable[..., Any]) -> None:
    Who = Annotated[Principal, Depends(principal)]  # noqa: N806

    @router.post(
        "/certifications/bulk/advice",
        response_model=BulkResult,
        summary=f"HRD records one advice on up to {MAX_BULK} certifications; an answer per id",
    )
    async def bulk_advise(who: Who, body: BulkAdvice) -> BulkResult:
        result = await hrd.bulk_advise(deps, who, body.ids, body.advice_number, body.advice_date)
        return _bulk(result)

    @router.post(
        "/certifications/bulk/activate",
        response_model=BulkResult,
        summary=f"HRD makes up to {MAX_BULK} advised certifications effective; an answer per id",
    )
    async def bulk_activate(who: Who, body: BulkIds) -> BulkResult:
        return _bulk(await hrd.bulk_activate(deps, who, body.ids))

    @router.post("/certifications/{cert_id}/advice", response_model=Certification)
    async def advise(who: Who, cert_id: str, body: Advice) -> Certification:
        """HRD records its advice: submitted -> hrd_advised."""
        result = await services.advise(deps, who, cert_id, body.advice_number, body.advice_date)
        return unless_refused(result)

    @router.post("/certifications/{cert_id}/activate", response_model=Certification)
    async def activate(who: Who, cert_id: str) -> Certification:
        """HRD makes an advised certification effective; it is published to Kafka."""
        return unless_refused(await services.activate(deps, who, cert_id))

    @router.post("/certifications/{cert_id}/reject", response_model=Certification)
    async def reject(who: Who, cert_id: str, body: Reason) -> Certification:
        return unless_refused(await services.reject(deps, who, cert_id, body.reason))

    @router.post("/certifications/{cert_id}/revoke", response_model=Certification)
    async def revoke(who: Who, cert_id: str, body: Reason) -> Certification:
        return unless_refused(await services.revoke(deps, who, cert_id, body.reason))
