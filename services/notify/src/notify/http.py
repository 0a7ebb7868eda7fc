"""Notify's HTTP API: the gateway's delivery-report callback."""

import hmac
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, HTTPException
from pydantic import BaseModel, Field, SecretStr
from starlette.datastructures import Headers

from notify import services
from servicekit.guard import Rule

DELIVERED = {"DELIVRD", "DELIVERED", "delivered"}


class DeliveryReport(BaseModel):
    msgid: str = Field(description="Our client reference (challenge:send) or the gateway's id")
    status: str = Field(description="Gateway status, e.g. DELIVRD, UNDELIV, EXPIRED")
    reason: str | None = None


class Accepted(BaseModel):
    status: Literal["recorded", "unknown_message"]


def check_report_token(token: SecretStr, presented: str | None) -> None:
    """401 unless `presented` is the gateway's shared secret."""
    if presented is None or not hmac.compare_digest(
        presented.encode(), token.get_secret_value().encode()
    ):
        raise HTTPException(401, "X-Report-Token is missing or wrong")


def guard_rules(token: SecretStr, max_request_bytes: int) -> list[Rule]:
    """Delivery reports need the gateway's secret before their body is read."""

    async def gateway(headers: Headers) -> None:
        check_report_token(token, headers.get("x-report-token"))

    return [Rule(r"/v1/.*", max_request_bytes, gateway)]


def build_http(deps: services.Deps) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["delivery reports"])
    token = deps.settings.delivery_report_token

    async def gateway(x_report_token: Annotated[str | None, Header()] = None) -> None:
        """The gateway's shared secret (also checked before the body is read: guard_rules).
        A coroutine, so that FastAPI does not hand each report to a thread."""
        check_report_token(token, x_report_token)

    @router.post("/delivery-reports", response_model=Accepted, dependencies=[Depends(gateway)])
    async def delivery_report(body: DeliveryReport) -> Accepted:
        delivered = body.status in DELIVERED
        known = await services.delivery_report(
            deps, body.msgid, delivered, None if delivered else (body.reason or body.status)
        )
        return Accepted(status="recorded" if known else "unknown_message")

    return router
