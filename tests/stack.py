"""A private, whole system for tests that kill and restart things: its own Kafka broker and
mongod (deploy/local/servers.py) and the four services and the fake SMS gateway as real
processes (deploy/local/services.py), all under one state directory and on their own ports,
so nothing the shared session servers hold is disturbed."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from servicekit.settings import local_oidc_issuer

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ROOT / "deploy" / "local"
SESSION_STATE = Path(os.environ.get("SEVA_STATE_DIR", ROOT / ".local"))
_spec = importlib.util.spec_from_file_location("local_services", LOCAL / "services.py")
assert _spec is not None
assert _spec.loader is not None
local_services = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(local_services)
# The secrets deploy/local/services.py generates for a development stack.
DEV_SECRETS: tuple[str, ...] = tuple(local_services.DEV_SECRETS)

PORT_SETTINGS = {
    "sms-gateway": "SMS_GATEWAY_PORT",
    "ingest": "INGEST_HTTP_PORT",
    "certification": "CERTIFICATION_HTTP_PORT",
    "otp": "OTP_HTTP_PORT",
    "notify": "NOTIFY_HTTP_PORT",
    "console": "CONSOLE_HTTP_PORT",
}


class Stack:
    """Servers and services of one test module; `base` picks a block of free ports."""

    def __init__(self, state: Path, base: int) -> None:
        self.state = state
        self.kafka_port, self.mongo_port = 19000 + base, 27000 + base
        self.ports = {name: 8000 + base + i for i, name in enumerate(PORT_SETTINGS)}
        external = ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI")  # the session's, not ours
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in external},
            "SEVA_STATE_DIR": str(state),
            "SEVA_KAFKA_PORT": str(self.kafka_port),
            "SEVA_MONGO_PORT": str(self.mongo_port),
            **{setting: str(self.ports[name]) for name, setting in PORT_SETTINGS.items()},
            # officers sign in at the session's identity provider: no second Keycloak
            "SEVA_OIDC_ISSUER": os.environ.get("SEVA_OIDC_ISSUER") or local_oidc_issuer(),
        }
        admin = SESSION_STATE / "keycloak" / "admin-password"
        if "SEVA_KEYCLOAK_ADMIN_PASSWORD" not in self.env and admin.exists():
            # the demo run on this stack provisions its officers in the session's Keycloak
            self.env["SEVA_KEYCLOAK_ADMIN_PASSWORD"] = admin.read_text().strip()

    # -- processes ----------------------------------------------------------------------

    def _run(self, script: str, *args: str) -> None:
        subprocess.run([sys.executable, str(LOCAL / script), *args], env=self.env, check=True)

    def servers(self, command: str, *names: str) -> None:
        """`up` or `down` the broker and/or mongod (`kafka`, `mongod`)."""
        self._run("servers.py", command, *names)

    def services(self, command: str, *names: str) -> None:
        """`up` (waits for /healthz) or `down` (SIGTERM) services by name."""
        self._run("services.py", command, *names)

    def pid(self, name: str) -> int:
        return int((self.state / "run" / f"{name}.pid").read_text())

    def kill(self, name: str) -> None:
        """kill -9 the service's process group, as a crash would."""
        os.killpg(self.pid(name), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while local_services.running(self.pid(name)) and time.monotonic() < deadline:
            time.sleep(0.05)

    # -- HTTP ---------------------------------------------------------------------------

    def url(self, name: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def secret(self, name: str) -> str:
        for line in (self.state / "dev-secrets.env").read_text().splitlines():
            key, _, value = line.partition("=")
            if key == name:
                return value
        raise KeyError(name)

    def bearer(self, secret_name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret(secret_name)}"}

    def ready(self, name: str) -> tuple[int, dict[str, Any]]:
        """/readyz of a service: its status code and the checks it names."""
        try:
            response = httpx.get(self.url(name, "/readyz"), timeout=5)
        except httpx.TransportError as error:
            return 0, {"error": type(error).__name__}
        return response.status_code, response.json()

    def sms(self) -> list[dict[str, Any]]:
        """Every message the fake gateway received."""
        # a gateway busy with a burst may take a while to list thousands of messages
        answer = httpx.get(
            self.url("sms-gateway", "/messages"),
            headers=self.bearer("SMS_GATEWAY_CONTROL_TOKEN"),
            timeout=60,
        )
        messages: list[dict[str, Any]] = answer.json()["messages"]
        return messages


def wait_until(what: str, probe: Any, timeout: float = 120, pause: float = 0.5) -> Any:
    """Poll `probe()` until it returns something truthy; fail naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(pause)


@contextmanager
def running_stack(state: Path, base: int) -> Iterator[Stack]:
    """Servers and services up for the block, everything stopped after it."""
    stack = Stack(state, base)
    stack.servers("up")
    try:
        stack.services("up")
        yield stack
    finally:
        subprocess.run(
            [sys.executable, str(LOCAL / "services.py"), "down"], env=stack.env, check=False
        )
        subprocess.run(
            [sys.executable, str(LOCAL / "servers.py"), "down"], env=stack.env, check=False
        )


def dump(value: Any) -> str:
    return json.dumps(value, indent=1, default=str)[:2000]
