"""The command line signs officers in at the identity provider and drives the running
service through a whole lifecycle; the service learns the employee from Kafka."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest

from contracts import topics
from tests import officers
from tests.factories import unique
from tests.factories.certification import PDF, PENDING, submission
from tests.helpers import eventually, produce, start_group_at_end


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def service_env(
    kafka_bootstrap: str, mongodb_uri: str, oidc_issuer: str
) -> AsyncIterator[dict[str, str]]:
    port = _free_port()
    group = unique("cert")
    for topic in (topics.EMPLOYEE_RECORDS, topics.MASTER_DATA):
        await start_group_at_end(kafka_bootstrap, f"{group}.{topic}", topic)
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "MONGODB_URI": mongodb_uri,
        "CERTIFICATION_MONGODB_DATABASE": unique("cert"),
        "CERTIFICATION_CONSUMER_GROUP": group,
        "CERTIFICATION_HTTP_PORT": str(port),
        "SEVA_OIDC_ISSUER": oidc_issuer,
        "CERTIFICATION_URL": f"http://127.0.0.1:{port}",
    }
    process = subprocess.Popen(  # noqa: ASYNC220 (started once, before the test)
        [sys.executable, "-m", "certification"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield env
    finally:
        process.terminate()
        process.wait(timeout=30)


def _cli(
    env: dict[str, str], *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "certification", *args]
    if password is not None:
        env = {**env, "SEVA_OFFICER_PASSWORD": password}
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _login(env: dict[str, str], officer: officers.Officer) -> str:
    totp = ["--totp", pyotp.TOTP(officer.totp_key).now()] if officer.totp_key else []
    signed_in = _cli(env, "login", "--user", officer.username, *totp, password=officer.password)
    assert signed_in.returncode == 0, signed_in.stderr
    return signed_in.stdout.strip()


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


async def test_the_cli_takes_a_certification_from_submission_to_effect(
    service_env: dict[str, str], tmp_path: Path
) -> None:
    office = unique("DDO")
    sub = submission(office)
    record = PENDING.pop(sub["employee_id"])
    await produce(
        service_env["KAFKA_BOOTSTRAP_SERVERS"],
        topics.EMPLOYEE_RECORDS,
        record.model_dump_json().encode(),
        record.partition_key.encode(),
    )
    sub_file, scan = tmp_path / "submission.json", tmp_path / "scan.pdf"
    sub_file.write_text(json.dumps(sub))
    scan.write_bytes(PDF)

    async def ready() -> bool:
        try:
            async with httpx.AsyncClient() as http:
                response = await http.get(service_env["CERTIFICATION_URL"] + "/readyz")
        except httpx.TransportError:
            return False
        return response.status_code == 200

    await eventually(ready)
    ddo = _login(service_env, officers.new_officer("ddo", (office,)))
    hrd = _login(service_env, officers.new_officer("hrd"))
    wrong = _cli(service_env, "login", "--user", "nobody-" + office.lower(), password="x" * 16)

    async def submitted() -> dict[str, Any] | None:  # once the record came through Kafka
        done = _cli(service_env, "--token", ddo, "submit", str(sub_file), "--letter", str(scan))
        return json.loads(done.stdout) if done.returncode == 0 else None

    cert = await eventually(submitted)
    as_hrd = ("--token", hrd.strip())
    _json(
        _cli(service_env, *as_hrd, "advise", cert["id"], "--number", "A-1", "--date", "2026-02-25")
    )
    _json(_cli(service_env, *as_hrd, "activate", cert["id"]))
    listed = _json(_cli(service_env, "--token", ddo.strip(), "list", "--state", "effective"))
    refused = _cli(service_env, "--token", ddo.strip(), "reject", cert["id"], "--reason", "mine")
    verified = _cli(service_env, "audit", "verify")

    assert [c["id"] for c in listed] == [cert["id"]]
    assert listed[0]["letter"]["size"] == len(PDF)
    assert refused.returncode == 1
    assert "only HRD may reject" in refused.stdout
    assert verified.stdout.strip() == "audit chain intact: 3 entries"
    assert wrong.returncode == 1
    assert "sign-in refused (401)" in wrong.stderr
