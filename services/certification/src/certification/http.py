"""HTTP routes of the certification service; the only module that picks status codes.

No `from __future__ import annotations` here: FastAPI must resolve the route-local
`Who` dependency alias when the routes are declared.
"""

import json
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, NoReturn

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Response, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from starlette.datastructures import Headers

from certification import services, tokens
from certification.domain.access import Principal
from certification.domain.model import Certification, State, Submission, example_submission
from certification.domain.refusal import Refusal
from certification.services import Deps, Upload
from servicekit.aadhaar import redact_aadhaar
from servicekit.guard import Rule
from servicekit.guard import bearer as bearer_credentials
from servicekit.text import text_problem

STATUS = {
    "not_found": 404,
    "forbidden": 403,
    "invalid_transition": 409,
    "conflict": 409,
    "invalid": 422,
    "too_large": 413,
    "unsupported_type": 415,
}
CHALLENGE = {"WWW-Authenticate": "Bearer"}
FORM_BYTES = 64 * 1024  # the submission field and the multipart framing around the letter


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


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=3, max_length=2000)

    @field_validator("reason", mode="after")
    @classmethod
    def _without_aadhaar(cls, value: str) -> str:
        if problem := text_problem(value):
            raise ValueError(problem)
        return redact_aadhaar(value)[0]


class AuditReport(BaseModel):
    ok: bool
    entries: int = Field(description="Entries checked before the first break (all when ok)")
    first_bad_seq: int | None = None
    problem: str | None = None


def refuse(refusal: Refusal) -> NoReturn:
    detail = {"reason": refusal.reason, "message": refusal.message}
    if refusal.current_state is not None:
        detail["current_state"] = refusal.current_state
    raise HTTPException(STATUS[refusal.reason], detail=detail)


def _explain(error: ValidationError) -> str:
    """'submission.<field>: <reason>' for up to five problems."""
    parts = []
    for item in error.errors()[:5]:
        field = ".".join(["submission", *(str(p) for p in item["loc"])])
        parts.append(f"{field}: {item['msg']}")
    return "; ".join(parts)


def authenticate(secret: str, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    """The officer a bearer token proves, or 401: the one check of every route, made
    before the body is read (`guard_rules`) and again by each route's dependency."""
    if credentials is None:
        raise HTTPException(401, "bearer token required", headers=CHALLENGE)
    try:
        return tokens.verify(secret, credentials.credentials)
    except tokens.TokenError as error:
        raise HTTPException(401, str(error), headers=CHALLENGE) from error


def _principal_dependency(secret: str) -> Any:
    bearer = HTTPBearer(auto_error=False, description="JWT from `python -m certification token`")

    async def principal(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Principal:
        return authenticate(secret, credentials)

    return principal


def guard_rules(secret: str, max_letter_bytes: int, max_request_bytes: int) -> list[Rule]:
    """Every /v1 route needs an officer's token before its body is read; a submission
    may carry its letter (and the form around it), any other body `max_request_bytes`."""

    async def officer(headers: Headers) -> None:
        authenticate(secret, bearer_credentials(headers))

    return [
        Rule(r"/v1/certifications", max_letter_bytes + FORM_BYTES, officer, frozenset({"POST"})),
        Rule(r"/v1/.*", max_request_bytes, officer),
    ]


def _done(result: Certification | Refusal) -> Certification:
    if isinstance(result, Refusal):
        refuse(result)
    return result


def build_router(deps: Deps, secret: str) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["certifications"])
    Who = Annotated[Principal, Depends(_principal_dependency(secret))]  # noqa: N806

    @router.post(
        "/certifications",
        response_model=Certification,
        status_code=201,
        summary="Submit a certification (201); the same letter number again returns it (200)",
    )
    async def submit(
        who: Who,
        response: Response,
        submission: Annotated[
            str,
            Form(
                description="The Submission, as JSON",
                examples=[json.dumps(example_submission("ebilling:E000123", "DDO-HSR-01"))],
            ),
        ],
        letter: Annotated[UploadFile | None, File(description="Scanned letter (PDF)")] = None,
    ) -> Certification:
        try:
            parsed = Submission.model_validate_json(submission)
        except ValidationError as error:
            raise HTTPException(422, {"reason": "invalid", "message": _explain(error)}) from error
        upload = None
        if letter is not None:
            data = await letter.read(deps.max_letter_bytes + 1)
            upload = Upload(redact_aadhaar(letter.filename or "letter.pdf")[0], data)
        result = await services.submit(deps, who, parsed, upload)
        if isinstance(result, Refusal):
            refuse(result)
        if not result.created:
            response.status_code = 200
        return result.certification

    @router.get("/certifications", response_model=list[Certification], summary="Search")
    async def search(
        who: Who,
        office: str | None = None,
        state: State | None = None,
        employee_id: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[Certification]:
        found = await services.search(deps, who, office, state, employee_id, limit)
        if isinstance(found, Refusal):
            refuse(found)
        return found

    @router.get("/certifications/{cert_id}", response_model=Certification)
    async def show(who: Who, cert_id: str) -> Certification:
        return _done(await services.show(deps, who, cert_id))

    @router.post("/certifications/{cert_id}/advice", response_model=Certification)
    async def advise(who: Who, cert_id: str, body: Advice) -> Certification:
        """HRD records its advice: submitted -> hrd_advised."""
        result = await services.advise(deps, who, cert_id, body.advice_number, body.advice_date)
        return _done(result)

    @router.post("/certifications/{cert_id}/activate", response_model=Certification)
    async def activate(who: Who, cert_id: str) -> Certification:
        """HRD makes an advised certification effective; it is published to Kafka."""
        return _done(await services.activate(deps, who, cert_id))

    @router.post("/certifications/{cert_id}/reject", response_model=Certification)
    async def reject(who: Who, cert_id: str, body: Reason) -> Certification:
        return _done(await services.reject(deps, who, cert_id, body.reason))

    @router.post("/certifications/{cert_id}/revoke", response_model=Certification)
    async def revoke(who: Who, cert_id: str, body: Reason) -> Certification:
        return _done(await services.revoke(deps, who, cert_id, body.reason))

    @router.get(
        "/certifications/{cert_id}/letter",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    async def letter(who: Who, cert_id: str) -> Response:
        found = await services.letter_of(deps, who, cert_id)
        if isinstance(found, Refusal):
            refuse(found)
        meta, data = found
        headers = {"X-Content-SHA256": meta.sha256}
        return Response(data, media_type="application/pdf", headers=headers)

    @router.get("/audit/verify", response_model=AuditReport, tags=["audit"])
    async def verify(who: Who) -> AuditReport:
        verdict = await services.verify_audit(deps, who)
        if isinstance(verdict, Refusal):
            refuse(verdict)
        return AuditReport(**asdict(verdict))

    return router
