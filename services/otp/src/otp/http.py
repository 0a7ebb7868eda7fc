"""HTTP API of the OTP service for the HKCL portal, departments and HRD.

Status codes (only chosen here):
- POST /v1/otp/requests: 202 sent; 409 refused with reasons; 429 throttled (Retry-After):
  too many requests, refusals of the Family ID or mobile typed, or sends (cool-down, caps).
- POST /v1/otp/verifications: 200 verified; 422 wrong_code (attempts_left); 410 expired;
  423 locked; 409 already_used; 404 not_found; 410 challenge_invalidated (the mobile it
  was sent to changed, or the gate closed, after it was sent: request a new OTP).
- GET /v1/reports/*: 200; 403 for a DDO outside the officer's offices, or readiness asked
  by a department.
- 401 without a valid bearer token; 403 outside the caller's scope.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from contracts.ingest import EmployeeRecordReceived
from otp import services
from otp.auth import officer_claims, portal_client
from otp.domain.challenge import Outcome, State
from otp.domain.decision import Decision
from otp.domain.reasons import REASONS
from otp.http_people import add_people_routes
from otp.http_reports import add_report_routes
from otp.metrics import OtpMetrics
from otp.ports import MasterDataStore
from servicekit.officers import OfficerTokens

bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

VERIFICATION_STATUS = {
    "verified": 200,
    "wrong_code": 422,
    "expired": 410,
    "locked": 423,
    "already_used": 409,
    "not_found": 404,
    "challenge_invalidated": 410,
}


class OtpRequest(BaseModel):
    family_id: str = Field(
        min_length=8,
        max_length=16,
        description="PPP Family ID as typed (8 or 9 letters and digits)",
    )
    mobile: str = Field(min_length=10, max_length=24, description="Mobile number as typed")
    locale: Literal["en", "hi"] = "en"


class Reason(BaseModel):
    code: str
    title_en: str
    title_hi: str
    next_step_en: str
    next_step_hi: str


class OtpAccepted(BaseModel):
    status: Literal["sent"] = "sent"
    challenge_id: str
    expires_at: datetime
    send_number: int


class OtpRefused(BaseModel):
    status: Literal["refused"] = "refused"
    reasons: list[Reason]
    hints: dict[str, str] = Field(description="Masked hints only, never stored data in full")
    retry_after_seconds: int | None = None


class ChallengeState(BaseModel):
    challenge_id: str
    delivery: Literal["queued", "sent", "delivered", "failed"]
    state: State
    expires_at: datetime
    expired: bool


class VerificationRequest(BaseModel):
    challenge_id: str = Field(min_length=1, max_length=64)
    code: str = Field(min_length=4, max_length=10)


class VerificationResult(BaseModel):
    outcome: Outcome = Field(
        description="410 carries `expired` or `challenge_invalidated` (the mobile it was sent "
        "to changed, or the gate closed, after the send: request a new OTP)"
    )
    attempts_left: int | None = None


def _json(model: BaseModel, status: int, headers: dict[str, str] | None = None) -> Response:
    """`model` as the JSON answer with `status`, serialised once by pydantic."""
    return Response(model.model_dump_json(), status, headers=headers, media_type="application/json")


def _reason(code: str) -> Reason:
    text = REASONS[code]
    return Reason(
        code=code,
        title_en=text.title_en,
        title_hi=text.title_hi,
        next_step_en=text.next_step_en,
        next_step_hi=text.next_step_hi,
    )


def build_http(
    deps: services.Deps,
    metrics: OtpMetrics,
    officers: OfficerTokens,
    master_data: MasterDataStore,
) -> APIRouter:
    router = APIRouter(prefix="/v1")
    settings = deps.settings
    # the counters' children, looked up once instead of by label on every call
    accepted, refused_count = (
        metrics.requests.labels("accepted"),
        metrics.requests.labels("refused"),
    )
    verifications = {
        outcome: metrics.verifications.labels(outcome) for outcome in VERIFICATION_STATUS
    }

    async def portal(credentials: Credentials) -> str:
        # async: a plain `def` dependency is run in a worker thread for every call
        return portal_client(settings, credentials)

    async def officer(credentials: Credentials) -> dict[str, Any]:
        return await officer_claims(officers, master_data, credentials)

    @router.post(
        "/otp/requests",
        status_code=202,
        response_model=OtpAccepted,
        responses={409: {"model": OtpRefused}, 429: {"model": OtpRefused}},
    )
    async def request_otp(body: OtpRequest, client: Annotated[str, Depends(portal)]) -> Any:
        result = await services.request_otp(deps, body.family_id, body.mobile, client, body.locale)
        if isinstance(result, services.Accepted):
            accepted.inc()
            # The model's own JSON, answered as it is: FastAPI would validate the returned
            # model against `response_model` again and encode it through dicts.
            answer = OtpAccepted(
                challenge_id=result.challenge_id,
                expires_at=result.expires_at,
                send_number=result.send_number,
            )
            return _json(answer, 202)
        refused_count.inc()
        for code in result.reasons:
            metrics.refusals.labels(code).inc()
        refused = OtpRefused(
            reasons=[_reason(c) for c in result.reasons],
            hints=result.hints,
            retry_after_seconds=result.retry_after,
        )
        headers = {"Retry-After": str(result.retry_after)} if result.retry_after else None
        return _json(refused, 429 if result.retry_after else 409, headers)

    @router.get("/otp/requests/{challenge_id}", response_model=ChallengeState)
    async def challenge_state(
        challenge_id: str, _: Annotated[str, Depends(portal)]
    ) -> ChallengeState:
        challenge = await deps.challenges.get(challenge_id)
        if challenge is None:
            raise HTTPException(404, "no such challenge (unknown, or purged a day after expiry)")
        return ChallengeState(
            challenge_id=challenge_id,
            delivery=challenge.delivery,
            state=challenge.state,
            expires_at=challenge.expires_at,
            expired=challenge.expired(deps.clock()),
        )

    @router.post(
        "/otp/verifications",
        response_model=VerificationResult,
        responses={
            **{code: {"model": VerificationResult} for code in (404, 409, 422, 423)},
            410: {
                "model": VerificationResult,
                "description": "`expired`, or `challenge_invalidated`: the mobile it was sent "
                "to changed or the gate closed after the send; request a new OTP",
            },
        },
    )
    async def verify(body: VerificationRequest, _: Annotated[str, Depends(portal)]) -> Response:
        result = await services.verify_otp(deps, body.challenge_id, body.code)
        verifications[result.outcome].inc()
        payload = VerificationResult(outcome=result.outcome, attempts_left=result.attempts_left)
        return _json(payload, VERIFICATION_STATUS[result.outcome])

    @router.get("/employees/{employee_id}/decision", response_model=Decision)
    async def decision(
        employee_id: str, request: Request, claims: Annotated[dict[str, Any], Depends(officer)]
    ) -> Decision:
        view = await deps.views.get(employee_id)
        if not may_see(claims, view.record if view else None):
            raise HTTPException(403, "this employee is not in your offices")
        if view is None or view.decision is None:
            raise HTTPException(404, "no record of this employee")
        return view.decision

    add_report_routes(router, deps, officer)
    add_people_routes(router, deps, officer, may_see)
    return router


def may_see(claims: dict[str, Any], record: EmployeeRecordReceived | None) -> bool:
    """May the officer of these (verified) claims see this employee: HRD sees everyone; a
    department only the employees whose office or DDO in the data is one of theirs."""
    if claims["role"] == "hrd":
        return True
    offices = set(claims.get("offices", []))
    return record is not None and bool(offices & {record.ddo_code, record.office_code})
