"""Bearer tokens are checked (401) and scope and role rules are enforced (403)."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import unique
from tests.factories.certification import auth, form, submission, token
from tests.officers import issuer
from tests.oidc import LocalIssuer, SigningKey

ADVICE = {"advice_number": "HRD/ADV/1", "advice_date": "2026-02-25"}


async def _certified(client: httpx.AsyncClient, office: str) -> str:
    response = await client.post(
        "/v1/certifications", data=form(submission(office)), headers=auth("ddo", office)
    )
    assert response.status_code == 201, response.text
    cert_id: str = response.json()["id"]
    return cert_id


def _bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def _forged() -> str:
    """Claims as the provider would write them, signed with a key it does not have."""
    return LocalIssuer(issuer()).token(SigningKey.rsa(), roles=["hrd"])


def _shared_secret() -> str:
    """The old kind of token: HS256 with a shared secret."""
    import jwt

    claims = LocalIssuer(issuer()).claims(roles=["hrd"])
    return jwt.encode(claims, "another-secret-of-at-least-32-bytes!!", algorithm="HS256")


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({}, "bearer token required"),
        (_bearer("not-a-jwt"), "token is not a JWT"),
        (_bearer(_forged()), "not among the issuer's keys"),
        (_bearer(_shared_secret()), "algorithm HS256 is not one of"),
    ],
    ids=["missing", "malformed", "unknown-key", "hs256"],
)
async def test_a_request_without_a_valid_token_is_refused_with_401(
    client: httpx.AsyncClient, headers: dict[str, str], why: str
) -> None:
    response = await client.get("/v1/certifications", headers=headers)

    assert response.status_code == 401
    assert why in response.json()["detail"]
    assert response.headers["www-authenticate"] == "Bearer"


async def test_an_officer_cannot_certify_for_an_office_outside_their_scope(
    client: httpx.AsyncClient,
) -> None:
    mine, other = unique("DDO"), unique("DDO")

    response = await client.post(
        "/v1/certifications", data=form(submission(other)), headers=auth("ddo", mine)
    )

    assert response.status_code == 403
    assert f"office {other} is outside your scope" in response.json()["detail"]["message"]


async def test_hrd_cannot_submit_a_certification(client: httpx.AsyncClient) -> None:
    office = unique("DDO")

    response = await client.post(
        "/v1/certifications",
        data=form(submission(office, officer_role="hod")),
        headers=auth("hrd", office),
    )

    assert response.status_code == 403
    assert "hrd cannot submit" in response.json()["detail"]["message"]


@pytest.mark.parametrize("role", ["ddo", "hod", "administrative_secretary"])
async def test_a_department_cannot_advise_activate_or_reject(
    client: httpx.AsyncClient, role: str
) -> None:
    office = unique("DDO")
    cert_id = await _certified(client, office)
    headers = auth(role, office)

    advice = await client.post(f"/v1/certifications/{cert_id}/advice", json=ADVICE, headers=headers)
    activate = await client.post(f"/v1/certifications/{cert_id}/activate", headers=headers)
    reject = await client.post(
        f"/v1/certifications/{cert_id}/reject", json={"reason": "duplicate"}, headers=headers
    )

    assert [advice.status_code, activate.status_code, reject.status_code] == [403, 403, 403]
    assert "only HRD may record advice" in advice.json()["detail"]["message"]


async def test_an_officer_cannot_read_or_revoke_another_offices_certification(
    client: httpx.AsyncClient,
) -> None:
    office, other = unique("DDO"), unique("DDO")
    cert_id = await _certified(client, office)
    stranger = auth("hod", other)

    shown = await client.get(f"/v1/certifications/{cert_id}", headers=stranger)
    revoked = await client.post(
        f"/v1/certifications/{cert_id}/revoke", json={"reason": "not ours"}, headers=stranger
    )
    listed = await client.get("/v1/certifications", params={"office": office}, headers=stranger)

    assert [shown.status_code, revoked.status_code, listed.status_code] == [403, 403, 403]


async def test_a_token_role_must_match_the_officer_role_of_the_submission(
    client: httpx.AsyncClient,
) -> None:
    office = unique("DDO")

    response = await client.post(
        "/v1/certifications",
        data=form(submission(office, officer_role="administrative_secretary")),
        headers={"Authorization": f"Bearer {token('ddo', office)}"},
    )

    assert response.status_code == 403
    assert "differs from your token's role ddo" in response.json()["detail"]["message"]


async def test_only_hrd_may_verify_the_audit_trail(client: httpx.AsyncClient) -> None:
    office = unique("DDO")

    refused = await client.get("/v1/audit/verify", headers=auth("ddo", office))
    allowed = await client.get("/v1/audit/verify", headers=auth("hrd"))

    assert refused.status_code == 403
    assert allowed.status_code == 200
