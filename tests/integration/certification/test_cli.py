"""The command line drives the running service through a whole lifecycle."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import unique
from tests.factories.certification import PDF, SECRET, submission
from tests.helpers import eventually


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def service_env(kafka_bootstrap: str, mongodb_uri: str) -> Iterator[dict[str, str]]:
    port = _free_port()
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "MONGODB_URI": mongodb_uri,
        "CERTIFICATION_MONGODB_DATABASE": unique("cert"),
        "CERTIFICATION_HTTP_PORT": str(port),
        "SEVA_OFFICER_JWT_SECRET": SECRET,
        "CERTIFICATION_URL": f"http://127.0.0.1:{port}",
    }
    process = subprocess.Popen(
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


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "certification", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


async def test_the_cli_takes_a_certification_from_submission_to_effect(
    service_env: dict[str, str], tmp_path: Path
) -> None:
    office = unique("DDO")
    sub_file, scan = tmp_path / "submission.json", tmp_path / "scan.pdf"
    sub_file.write_text(json.dumps(submission(office)))
    scan.write_bytes(PDF)

    async def ready() -> bool:
        try:
            async with httpx.AsyncClient() as http:
                response = await http.get(service_env["CERTIFICATION_URL"] + "/readyz")
        except httpx.TransportError:
            return False
        return response.status_code == 200

    await eventually(ready)
    ddo = _cli(service_env, "token", "--role", "ddo", "--office", office, "--sub", "o1").stdout
    hrd = _cli(service_env, "token", "--role", "hrd", "--sub", "h1").stdout
    cert = _json(
        _cli(service_env, "--token", ddo.strip(), "submit", str(sub_file), "--letter", str(scan))
    )
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
