"""Who may call the OTP service: the HKCL portal by its token, officers by a token
verified against the issuer's JWKS; each check is one function that runs twice, before
the body is read (`guard_rules`, servicekit.guard) and again in the route's dependency."""

import hmac
from typing import Any

from fastapi import HTTPException
from fastapi.security import HTTPAuthorizationCredentials
from starlette.datastructures import Headers

from otp.domain.report import claims_problem
from otp.ports import MasterDataStore
from otp.settings import OtpSettings
from servicekit.guard import Rule
from servicekit.guard import bearer as bearer_credentials
from servicekit.officers import OfficerTokenError, OfficerTokens, ProviderUnavailableError


def portal_client(settings: OtpSettings, credentials: HTTPAuthorizationCredentials | None) -> str:
    """The HKCL portal, when the bearer token is its token; else 401."""
    token = settings.portal_token.get_secret_value().encode()
    # Bytes, not str: compare_digest raises on a non-ASCII str (a hostile header).
    if credentials is None or not hmac.compare_digest(credentials.credentials.encode(), token):
        raise HTTPException(401, "a valid portal bearer token is required")
    return "hkcl-portal"


async def officer_claims(
    officers: OfficerTokens,
    master_data: MasterDataStore,
    credentials: HTTPAuthorizationCredentials | None,
) -> dict[str, Any]:
    """The verified officer as claims: role, offices (with those of the officer's
    department, per the master data this service keeps) and sub; else 401 (503 when the
    provider's keys cannot be had)."""
    if credentials is None:
        raise HTTPException(401, "an officer bearer token is required")
    try:
        who = await officers.verify(credentials.credentials)
    except OfficerTokenError as error:
        raise HTTPException(401, f"officer token rejected: {error}") from error
    except ProviderUnavailableError as error:
        raise HTTPException(503, str(error)) from error
    offices = set(who.offices)
    if who.department is not None and who.role != "hrd":
        offices |= await master_data.department_offices(who.department)
    claims = {"sub": who.sub, "role": who.role, "offices": sorted(offices)}
    if problem := claims_problem(claims):
        raise HTTPException(401, f"officer token rejected: {problem}")
    return claims


def guard_rules(
    settings: OtpSettings, officers: OfficerTokens, master_data: MasterDataStore
) -> list[Rule]:
    """The portal's routes need its token, every other /v1 route an officer's, both
    checked before a body is read; bodies are at most `max_request_bytes`. The reason
    texts (`GET /v1/reasons`: words only, no personal data) are public."""

    async def portal(headers: Headers) -> None:
        portal_client(settings, bearer_credentials(headers))

    async def officer(headers: Headers) -> None:
        await officer_claims(officers, master_data, bearer_credentials(headers))

    limit = settings.max_request_bytes
    return [
        Rule(r"/v1/reasons", limit, None, frozenset({"GET", "HEAD"})),
        Rule(r"/v1/otp/.*", limit, portal),
        Rule(r"/v1/.*", limit, officer),
    ]
