"""deploy/local/servers.py knows Keycloak as a third server and leaves it alone when
SEVA_OIDC_ISSUER names another provider, as it does Kafka and mongod for their settings."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import local_servers as _run


def test_another_identity_provider_means_no_local_keycloak(tmp_path: Path) -> None:
    up = _run(tmp_path, "up", "keycloak", SEVA_OIDC_ISSUER="https://login.example/realms/x")

    assert up.returncode == 0, up.stderr
    assert "SEVA_OIDC_ISSUER is set: using that identity provider" in up.stdout
    assert not (tmp_path / "keycloak").exists()  # nothing fetched, nothing started


def test_status_names_keycloak_and_unknown_servers_are_refused(tmp_path: Path) -> None:
    status = _run(tmp_path, "status", SEVA_KEYCLOAK_PORT="1")
    unknown = _run(tmp_path, "up", "zookeeper")

    assert "keycloak: stopped, port 1 closed" in status.stdout
    assert unknown.returncode == 1
    assert "use kafka, mongod, keycloak" in unknown.stderr
