"""Who may call the certification service: an officer's bearer token, verified against
the issuer's JWKS by one function that runs twice, before the body is read
(`guard_rules`, servicekit.guard) and again in each route's dependency."""

from typing import Annotated, Any

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers

from certification import tokens
from certification.domain.access import Principal
from certification.services import Deps
from servicekit.guard import Rule
from servicekit.guard import bearer as bearer_credentials
from servicekit.officers import Officer

CHALLENGE = {"WWW-Authenticate": "Bearer"}
FORM_BYTES = 64 * 1024  # the submission field and the multipart framing around the letter


async def authenticate(
    verifier: tokens.OfficerTokens, credentials: HTTPAuthorizationCredentials | None
) -> Officer:
    """The officer a bearer token proves (401 if none, 503 if the provider's keys cannot
    be had): the one check of every route, made before the body is read (`guard_rules`)
    and again by each route's dependency."""
    if credentials is None:
        raise HTTPException(401, "bearer token required", headers=CHALLENGE)
    try:
        return await verifier.verify(credentials.credentials)
    except tokens.OfficerTokenError as error:
        raise HTTPException(401, str(error), headers=CHALLENGE) from error
    except tokens.ProviderUnavailableError as error:
        raise HTTPException(503, str(error)) from error


def principal_dependency(verifier: tokens.OfficerTokens, deps: Deps) -> Any:
    bearer = HTTPBearer(
        auto_error=False, description="Access token of an officer from the OIDC provider"
    )

    async def principal(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Principal:
        officer = await authenticate(verifier, credentials)
        return await tokens.principal(officer, deps.directory)

    return principal


def guard_rules(
    verifier: tokens.OfficerTokens, max_letter_bytes: int, max_request_bytes: int
) -> list[Rule]:
    """Every /v1 route needs an officer's token before its body is read; a submission
    may carry its letter (and the form around it), any other body `max_request_bytes`."""

    async def officer(headers: Headers) -> None:
        await authenticate(verifier, bearer_credentials(headers))

    return [
        Rule(r"/v1/certifications", max_letter_bytes + FORM_BYTES, officer, frozenset({"POST"})),
        Rule(r"/v1/.*", max_request_bytes, officer),
    ]
