"""Run the four services and the fake SMS gateway as local processes.

    python deploy/local/services.py up       start what is not running, wait for /healthz
    python deploy/local/services.py down     stop them
    python deploy/local/services.py status

Each runs as `python -m <service>` with logs in .local/logs/<name>.log and a PID file in
.local/run/. Settings come from the environment (see README); local development
secrets are generated once into .local/dev-secrets.env and never committed.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("SEVA_STATE_DIR", ROOT / ".local"))
LOGS, RUN = STATE / "logs", STATE / "run"

# name -> (python module, port setting, default port)
SERVICES: dict[str, tuple[str, str, int]] = {
    "sms-gateway": ("notify.fakegateway", "SMS_GATEWAY_PORT", 8005),
    "ingest": ("ingest", "INGEST_HTTP_PORT", 8001),
    "certification": ("certification", "CERTIFICATION_HTTP_PORT", 8002),
    "otp": ("otp", "OTP_HTTP_PORT", 8003),
    "notify": ("notify", "NOTIFY_HTTP_PORT", 8004),
    "console": ("console", "CONSOLE_HTTP_PORT", 8006),
}
# Secrets every local run needs; generated once, kept under .local/.
DEV_SECRETS = (
    "SEVA_SMS_SEAL_KEY",
    "OTP_HMAC_KEY",
    "OTP_PORTAL_TOKEN",
    "INGEST_HKRNL_TOKEN",
    "INGEST_EBILLING_TOKEN",
    "INGEST_MASTER_TOKEN",
    "INGEST_LINK_KEY",
    "NOTIFY_GATEWAY_PASSWORD",
    "NOTIFY_DELIVERY_REPORT_TOKEN",
    "CONSOLE_CLIENT_SECRET",
    "CONSOLE_SESSION_SECRET",
)
# Secrets of development tools only, never deployed: the fake gateway's control token.
TOOL_SECRETS = ("SMS_GATEWAY_CONTROL_TOKEN",)


def dev_secrets() -> dict[str, str]:
    """Local development secrets: read from .local/dev-secrets.env, created if missing."""
    path = STATE / "dev-secrets.env"
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, _, value = line.partition("=")
            values[key] = value
    missing = [name for name in DEV_SECRETS + TOOL_SECRETS if name not in values]
    if missing:
        from cryptography.fernet import Fernet

        for name in missing:
            values[name] = (
                Fernet.generate_key().decode()
                if name.endswith("SEAL_KEY")
                else secrets.token_hex(32)
            )
        STATE.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        path.chmod(0o600)
    return values


def port_of(name: str) -> int:
    _, setting, default = SERVICES[name]
    return int(os.environ.get(setting, default))


def _pid(name: str) -> int | None:
    path = RUN / f"{name}.pid"
    if not path.exists():
        return None
    pid = int(path.read_text() or 0)
    if not running(pid):
        path.unlink(missing_ok=True)
        return None
    return pid


def running(pid: int) -> bool:
    """The process exists and is not a zombie (a crashed service whose parent, this
    script's earlier run, is gone stays a zombie where nothing reaps orphans)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "State:\tZ" not in status.read_text()


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def up(names: list[str]) -> int:
    LOGS.mkdir(parents=True, exist_ok=True)
    RUN.mkdir(parents=True, exist_ok=True)
    secrets_ = dev_secrets()
    env = {
        **secrets_,
        # the fake gateway posts delivery reports to notify with notify's shared token
        "SMS_GATEWAY_CALLBACK_URL": f"http://127.0.0.1:{port_of('notify')}/v1/delivery-reports",
        "SMS_GATEWAY_CALLBACK_TOKEN": secrets_["NOTIFY_DELIVERY_REPORT_TOKEN"],
        "NOTIFY_GATEWAY_URL": f"http://127.0.0.1:{port_of('sms-gateway')}/api/send",
        **os.environ,
    }
    for name in names:
        if _pid(name) is None:
            module = SERVICES[name][0]
            log = (LOGS / f"{name}.log").open("ab")
            process = subprocess.Popen(
                [sys.executable, "-m", module],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env=env,
                cwd=ROOT,
            )
            (RUN / f"{name}.pid").write_text(str(process.pid))
    deadline = time.monotonic() + 60
    for name in names:
        while not _healthy(port_of(name)):
            if _pid(name) is None or time.monotonic() > deadline:
                print(
                    f"error: {name} did not come up; read {LOGS / (name + '.log')}", file=sys.stderr
                )
                return 1
            time.sleep(0.3)
        shows = "officers sign in here" if name == "console" else "docs /docs"
        print(f"{name:<14} http://127.0.0.1:{port_of(name)}  ({shows}, /healthz /readyz /metrics)")
    return 0


def down(names: list[str]) -> int:
    for name in names:
        pid = _pid(name)
        if pid is None:
            continue
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while _pid(name) is not None and time.monotonic() < deadline:
            time.sleep(0.2)
        if _pid(name) is not None:
            os.killpg(pid, signal.SIGKILL)
        (RUN / f"{name}.pid").unlink(missing_ok=True)
        print(f"{name} stopped")
    return 0


def status(names: list[str]) -> int:
    code = 0
    for name in names:
        pid, healthy = _pid(name), _healthy(port_of(name))
        print(
            f"{name:<14} {'pid ' + str(pid) if pid else 'stopped':<12} "
            f"port {port_of(name)} {'healthy' if healthy else 'not answering'}"
        )
        code |= 0 if healthy else 1
    return code


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "status"
    names = sys.argv[2:] or list(SERVICES)
    return {"up": up, "down": down, "status": status}[command](names)


if __name__ == "__main__":
    sys.exit(main())
