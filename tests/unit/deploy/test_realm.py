"""The realm imported into the local Keycloak holds what the services and the issue ask:
the four officer roles, the offices and department claims, audience seva, 15-minute access
tokens with refresh, brute-force detection, TOTP always for HRD, and no shared secrets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
REALM: dict[str, Any] = json.loads((ROOT / "deploy" / "keycloak" / "seva-realm.json").read_text())


def _client(client_id: str) -> dict[str, Any]:
    [client] = [c for c in REALM["clients"] if c["clientId"] == client_id]
    return client


def test_the_realm_has_the_four_roles_short_tokens_and_brute_force_detection() -> None:
    assert {r["name"] for r in REALM["roles"]["realm"]} == {
        "admin_secretary",
        "hod",
        "ddo",
        "hrd",
    }
    assert REALM["accessTokenLifespan"] == 900
    assert REALM["ssoSessionIdleTimeout"] > 900  # a refresh token outlives the access token
    assert REALM["bruteForceProtected"] is True
    assert REALM["defaultSignatureAlgorithm"] == "RS256"


def test_every_client_maps_the_claims_the_services_read() -> None:
    for client_id in ("seva-cli", "seva-console"):
        client = _client(client_id)
        assert client["publicClient"] is True  # no client secret to keep
        mappers = {m["protocolMapper"]: m["config"] for m in client["protocolMappers"]}
        assert mappers["oidc-audience-mapper"]["included.custom.audience"] == "seva"
        assert mappers["oidc-usermodel-realm-role-mapper"]["claim.name"] == "roles"
        claims = {
            m["config"]["claim.name"]: m["config"]["multivalued"]
            for m in client["protocolMappers"]
            if m["protocolMapper"] == "oidc-usermodel-attribute-mapper"
        }
        assert claims == {"offices": "true", "department": "false"}
    assert _client("seva-cli")["directAccessGrantsEnabled"] is True
    assert _client("seva-cli")["attributes"]["oauth2.device.authorization.grant.enabled"] == "true"
    assert _client("seva-console")["attributes"]["pkce.code.challenge.method"] == "S256"


def test_hrd_must_give_a_totp_code_in_the_browser_and_the_password_grant() -> None:
    flows = {f["alias"]: f for f in REALM["authenticationFlows"]}
    configs = {c["alias"]: c["config"] for c in REALM["authenticatorConfig"]}
    for top, otp_form in (
        ("seva browser", "auth-otp-form"),
        ("seva direct grant", "direct-grant-validate-otp"),
    ):
        assert REALM["browserFlow" if "browser" in top else "directGrantFlow"] == top
        hrd_flow = flows[f"{top} hrd otp"]
        steps = [
            (e.get("authenticator"), e["requirement"]) for e in hrd_flow["authenticationExecutions"]
        ]
        assert steps == [("conditional-user-role", "REQUIRED"), (otp_form, "REQUIRED")]
        [condition] = [
            e for e in hrd_flow["authenticationExecutions"] if e.get("authenticatorConfig")
        ]
        assert configs[condition["authenticatorConfig"]] == {
            "condUserRole": "hrd",
            "negate": "false",
        }
    assert REALM["otpPolicyCodeReusable"] is False
