"""Officer tokens are verified against the issuer's keys: signature (RS256, ES256),
issuer, audience, expiry, not-before, `sub`, `iat` and the maximum lifetime; an unknown key
id refetches the keys once, so a rotated key works and a rotated-out key is refused."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from servicekit.officers import OfficerTokenError, OfficerTokens, OidcSettings
from tests.oidc import LocalIssuer, SigningKey

ISSUER = "http://issuer.test/realms/seva"


def verifier(issuer: LocalIssuer, **settings: Any) -> OfficerTokens:
    async def fetch(url: str) -> Any:
        document = issuer.document(url)
        assert document is not None, url
        return document

    values: dict[str, Any] = {"oidc_issuer": issuer.issuer, "oidc_jwks_min_refetch_seconds": 0}
    values.update(settings)
    return OfficerTokens(OidcSettings(**values), fetch=fetch)


@pytest.fixture
def issuer() -> LocalIssuer:
    return LocalIssuer(issuer=ISSUER, published=[SigningKey.rsa(), SigningKey.ec()])


async def test_rs256_and_es256_tokens_give_the_officer(issuer: LocalIssuer) -> None:
    tokens = verifier(issuer)
    rsa_key, ec_key = issuer.published
    ddo = await tokens.verify(issuer.token(rsa_key, sub="u1", offices=["DDO1", "DDO2"]))
    assert (ddo.sub, ddo.role, ddo.offices, ddo.department) == (
        "u1",
        "ddo",
        frozenset({"DDO1", "DDO2"}),
        None,
    )
    hod = await tokens.verify(
        issuer.token(ec_key, roles=["hod", "offline_access"], offices=None, department="D7")
    )
    assert (hod.role, hod.offices, hod.department) == ("hod", frozenset(), "D7")
    secretary = await tokens.verify(issuer.token(roles=["admin_secretary"], department="D7"))
    assert secretary.role == "administrative_secretary"


class Later(int):
    """Seconds from the moment the test runs (not from collection: the suite may run long
    before a test's turn comes)."""


def at_run(claims: dict[str, Any]) -> dict[str, Any]:
    now = int(time.time())
    return {k: now + v if isinstance(v, Later) else v for k, v in claims.items()}


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"iss": "http://elsewhere.test/realms/seva"}, "issuer is not"),
        ({"aud": ["account"]}, "audience is not seva"),
        ({"exp": Later(-120), "iat": Later(-1000)}, "expired"),
        ({"nbf": Later(600)}, "not valid yet"),
        ({"sub": None}, "'sub'"),
        ({"iat": None}, "'iat'"),
        ({"exp": None}, "'exp'"),
        ({"sub": "  "}, "sub"),
        ({"iat": Later(0), "exp": Later(13 * 3600)}, "exceeds the maximum"),
        ({"roles": ["offline_access"]}, "none of the officer roles"),
        ({"roles": ["ddo", "hrd"]}, "more than one officer role"),
        ({"offices": [5]}, "office codes"),
        ({"offices": "DDO1"}, "office codes"),
        ({"roles": "hrd"}, "list of roles"),
        ({"department": ["A", "B"]}, "one code"),
    ],
)
async def test_a_token_breaking_a_rule_is_refused_with_the_reason(
    issuer: LocalIssuer, claims: dict[str, Any], why: str
) -> None:
    with pytest.raises(OfficerTokenError, match=why):
        await verifier(issuer).verify(issuer.token(**at_run(claims)))


async def test_keys_and_algorithms_not_the_issuers_are_refused(issuer: LocalIssuer) -> None:
    tokens = verifier(issuer)
    stranger = SigningKey.rsa()
    with pytest.raises(OfficerTokenError, match="not among the issuer's keys"):
        await tokens.verify(issuer.token(stranger))
    forged = SigningKey(issuer.published[0].kid, "RS256", stranger.private)
    with pytest.raises(OfficerTokenError, match="signature"):
        await tokens.verify(issuer.token(forged))
    shared = jwt.encode(issuer.claims(), "a-shared-secret-of-32-bytes-or-more!", algorithm="HS256")
    with pytest.raises(OfficerTokenError, match="algorithm HS256"):
        await tokens.verify(shared)
    unsigned = jwt.encode(issuer.claims(), None, algorithm="none")
    with pytest.raises(OfficerTokenError, match="algorithm none"):
        await tokens.verify(unsigned)
    with pytest.raises(OfficerTokenError, match="not a JWT"):
        await tokens.verify("not-a-token")


async def test_a_rotated_key_is_picked_up_and_the_old_one_refused(issuer: LocalIssuer) -> None:
    tokens = verifier(issuer)
    old = issuer.published[0]
    old_token = issuer.token(old)
    assert (await tokens.verify(old_token)).role == "ddo"
    fetched = issuer.fetches
    new = SigningKey.rsa()
    issuer.published = [new]  # rotation: the new key replaces the old one in the JWKS
    assert (await tokens.verify(issuer.token(new))).role == "ddo"
    assert issuer.fetches == fetched + 1  # the unknown kid made one fetch
    with pytest.raises(OfficerTokenError, match="not among the issuer's keys"):
        await tokens.verify(old_token)


async def test_unknown_key_ids_do_not_hammer_the_provider(issuer: LocalIssuer) -> None:
    tokens = verifier(issuer, oidc_jwks_min_refetch_seconds=60)
    await tokens.verify(issuer.token())
    fetched = issuer.fetches
    for _ in range(5):
        with pytest.raises(OfficerTokenError):
            await tokens.verify(issuer.token(SigningKey.rsa()))
    assert issuer.fetches == fetched


async def test_claim_names_and_role_names_are_settings(issuer: LocalIssuer) -> None:
    tokens = verifier(
        issuer,
        oidc_roles_claim="groups",
        oidc_offices_claim="ddo_codes",
        oidc_role_names="treasury-officer=ddo",
    )
    claims = {"roles": None, "offices": None, "groups": ["treasury-officer"], "ddo_codes": ["X"]}
    officer = await tokens.verify(issuer.token(**claims))
    assert (officer.role, officer.offices) == ("ddo", frozenset({"X"}))
