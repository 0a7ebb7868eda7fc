"""Officers' bearer tokens: OpenID Connect access tokens verified against the issuer's keys.

Any OIDC provider will do (the local Keycloak realm by default, `SEVA_OIDC_ISSUER` for
another): the issuer's discovery document names its JWKS, whose RS256 and ES256 keys sign
the tokens. A token is accepted when its signature verifies with the key its `kid` names,
`iss` is the issuer, `aud` holds the audience, `exp`, `iat` and `sub` are present, `nbf`
(if any) and `exp` hold now, and `exp - iat` stays within the maximum lifetime. A `kid`
that is not among the cached keys makes the keys be fetched again once (key rotation needs
no restart); keys are refetched at the latest every `SEVA_OIDC_JWKS_CACHE_SECONDS` anyway.
The role, offices and department come from claims whose names are settings.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from servicekit.settings import local_oidc_issuer

Fetch = Callable[[str], Awaitable[Any]]
OFFICER_ROLES = ("administrative_secretary", "hod", "ddo", "hrd")


def _alias(name: str) -> AliasChoices:
    return AliasChoices(f"SEVA_OIDC_{name.upper()}", f"oidc_{name}")


class OidcSettings(BaseSettings):
    """Where officers' tokens come from and how they are read (shared, prefix SEVA_OIDC_)."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    oidc_issuer: str = Field(
        default_factory=local_oidc_issuer,
        validation_alias=_alias("issuer"),
        description="OIDC issuer of officers' tokens (default: the local Keycloak realm)",
    )
    oidc_audience: str = Field(
        default="seva", validation_alias=_alias("audience"), description="Audience tokens name"
    )
    oidc_jwks_url: str | None = Field(
        default=None,
        validation_alias=_alias("jwks_url"),
        description="JWKS address (default: the jwks_uri of the issuer's discovery document)",
    )
    oidc_algorithms: str = Field(
        default="RS256,ES256",
        validation_alias=_alias("algorithms"),
        description="Accepted signature algorithms, comma separated",
    )
    oidc_max_token_lifetime_seconds: int = Field(
        default=12 * 3600,
        gt=0,
        validation_alias=_alias("max_token_lifetime_seconds"),
        description="Longest accepted token lifetime (exp - iat)",
    )
    oidc_leeway_seconds: int = Field(
        default=30, ge=0, validation_alias=_alias("leeway_seconds"), description="Clock skew"
    )
    oidc_jwks_cache_seconds: float = Field(
        default=300.0,
        gt=0,
        validation_alias=_alias("jwks_cache_seconds"),
        description="Keys are fetched again at the latest after this long",
    )
    oidc_jwks_min_refetch_seconds: float = Field(
        default=2.0,
        ge=0,
        validation_alias=_alias("jwks_min_refetch_seconds"),
        description="Shortest pause between fetches caused by unknown key ids",
    )
    oidc_roles_claim: str = Field(
        default="roles", validation_alias=_alias("roles_claim"), description="Claim with roles"
    )
    oidc_offices_claim: str = Field(
        default="offices",
        validation_alias=_alias("offices_claim"),
        description="Claim with the office (DDO) codes an officer serves",
    )
    oidc_department_claim: str = Field(
        default="department",
        validation_alias=_alias("department_claim"),
        description="Claim with the department code of a department-wide officer",
    )
    oidc_role_names: str = Field(
        default="admin_secretary=administrative_secretary,hod=hod,ddo=ddo,hrd=hrd",
        validation_alias=_alias("role_names"),
        description="Provider role = service role, comma separated",
    )

    def role_map(self) -> dict[str, str]:
        pairs = (item.partition("=") for item in self.oidc_role_names.split(",") if item.strip())
        mapping = {theirs.strip(): ours.strip() for theirs, _, ours in pairs}
        if unknown := set(mapping.values()) - set(OFFICER_ROLES):
            raise ValueError(f"SEVA_OIDC_ROLE_NAMES names unknown roles: {sorted(unknown)}")
        return mapping


class OfficerTokenError(ValueError):
    """Why a bearer token is not accepted (answered 401)."""


class ProviderUnavailableError(RuntimeError):
    """The issuer's discovery document or keys could not be fetched (answered 503)."""


@dataclass(frozen=True)
class Officer:
    """Who a verified token speaks for, as the provider's claims say."""

    sub: str
    role: str
    offices: frozenset[str]
    department: str | None


async def _http_fetch(url: str) -> Any:
    async with httpx.AsyncClient(timeout=5.0) as client:
        answer = await client.get(url)
        answer.raise_for_status()
        return answer.json()


class OfficerTokens:
    """Verifies officers' bearer tokens; one per process, keys cached between requests."""

    def __init__(
        self,
        settings: OidcSettings,
        fetch: Fetch | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.issuer = settings.oidc_issuer
        self.algorithms = [a.strip() for a in settings.oidc_algorithms.split(",") if a.strip()]
        self.roles = settings.role_map()
        self._fetch = fetch or _http_fetch
        self._clock = clock
        self._jwks_url = settings.oidc_jwks_url
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def verify(self, token: str) -> Officer:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise OfficerTokenError(f"token is not a JWT: {error}") from error
        alg = header.get("alg")
        if alg not in self.algorithms:
            raise OfficerTokenError(
                f"token algorithm {alg} is not one of {', '.join(self.algorithms)}"
            )
        key = await self._key(header.get("kid"), str(alg))
        claims = self._decode(token, key, str(alg))
        return self._officer(claims)

    def _decode(self, token: str, key: jwt.PyJWK, alg: str) -> dict[str, Any]:
        s = self.settings
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[alg],
                audience=s.oidc_audience,
                issuer=self.issuer,
                leeway=s.oidc_leeway_seconds,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise OfficerTokenError("token expired") from error
        except jwt.ImmatureSignatureError as error:
            raise OfficerTokenError(f"token not valid yet: {error}") from error
        except jwt.InvalidAudienceError as error:
            raise OfficerTokenError(f"token audience is not {s.oidc_audience}") from error
        except jwt.InvalidIssuerError as error:
            raise OfficerTokenError(f"token issuer is not {self.issuer}") from error
        except jwt.InvalidSignatureError as error:
            raise OfficerTokenError("token signature is not valid") from error
        except jwt.MissingRequiredClaimError as error:
            raise OfficerTokenError(f"token lacks the '{error.claim}' claim") from error
        except jwt.PyJWTError as error:
            raise OfficerTokenError(f"token is not valid: {error}") from error
        lifetime = int(claims["exp"]) - int(claims["iat"])
        if lifetime > s.oidc_max_token_lifetime_seconds:
            raise OfficerTokenError(
                f"token lifetime {lifetime} s exceeds the maximum of "
                f"{s.oidc_max_token_lifetime_seconds} s"
            )
        return claims

    def _officer(self, claims: Mapping[str, Any]) -> Officer:
        s = self.settings
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub.strip():
            raise OfficerTokenError("token claim 'sub' must be a non-empty string")
        granted = claims.get(s.oidc_roles_claim, [])
        if not isinstance(granted, list):
            raise OfficerTokenError(f"token claim '{s.oidc_roles_claim}' must be a list of roles")
        roles = sorted({self.roles[r] for r in granted if isinstance(r, str) and r in self.roles})
        if not roles:
            raise OfficerTokenError(
                f"token claim '{s.oidc_roles_claim}' holds none of the officer roles "
                f"({', '.join(self.roles)})"
            )
        if len(roles) > 1:
            raise OfficerTokenError(f"token holds more than one officer role ({', '.join(roles)})")
        offices = claims.get(s.oidc_offices_claim, [])
        if not isinstance(offices, list) or not all(isinstance(o, str) for o in offices):
            raise OfficerTokenError(f"token claim '{s.oidc_offices_claim}' must be office codes")
        department = claims.get(s.oidc_department_claim)
        if isinstance(department, list) and len(department) == 1:
            department = department[0]
        if department is not None and not isinstance(department, str):
            raise OfficerTokenError(f"token claim '{s.oidc_department_claim}' must be one code")
        return Officer(
            sub=sub,
            role=roles[0],
            offices=frozenset(o.strip() for o in offices if o.strip()),
            department=department.strip() or None if department else None,
        )

    # -- keys ---------------------------------------------------------------------------

    async def _key(self, kid: Any, alg: str) -> jwt.PyJWK:
        now = self._clock()
        stale = self._fetched_at is None or now - self._fetched_at > (
            self.settings.oidc_jwks_cache_seconds
        )
        if stale:
            await self._refresh(None)
        key = self._match(kid, alg)
        pause = self.settings.oidc_jwks_min_refetch_seconds
        if key is None and self._fetched_at is not None and now - self._fetched_at >= pause:
            await self._refresh(self._fetched_at)  # an unknown kid: fetch the keys again, once
            key = self._match(kid, alg)
        if key is None:
            raise OfficerTokenError(f"token signing key {kid!r} is not among the issuer's keys")
        return key

    def _match(self, kid: Any, alg: str) -> jwt.PyJWK | None:
        if kid is not None:
            key = self._keys.get(str(kid))
        else:  # no kid: only a provider with one key of the right type can be meant
            fitting = [k for k in self._keys.values() if k.algorithm_name == alg]
            key = fitting[0] if len(fitting) == 1 else None
        if key is None or key.algorithm_name != alg:
            return None
        return key

    async def _refresh(self, seen: float | None) -> None:
        async with self._lock:
            if seen is not None and self._fetched_at != seen:
                return  # another request fetched meanwhile
            try:
                if self._jwks_url is None:
                    self._jwks_url = await self._discover()
                document = await self._fetch(self._jwks_url)
            except (httpx.HTTPError, ValueError) as error:
                raise ProviderUnavailableError(
                    f"keys of {self.issuer} could not be fetched: {error}"
                ) from error
            keys: dict[str | None, jwt.PyJWK] = {}
            for item in document.get("keys", []) if isinstance(document, dict) else []:
                if item.get("use") not in (None, "sig"):
                    continue
                try:
                    key = jwt.PyJWK(item)
                except jwt.PyJWTError:
                    continue  # an algorithm we do not verify with
                if key.algorithm_name in self.algorithms:
                    keys[item.get("kid")] = key
            self._keys = keys
            self._fetched_at = self._clock()

    async def _discover(self) -> str:
        url = f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"
        document = await self._fetch(url)
        if not isinstance(document, dict) or document.get("issuer") != self.issuer:
            raise ValueError(f"{url} does not name the issuer {self.issuer}")
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str):
            raise ValueError(f"{url} names no jwks_uri")
        return jwks_uri
