"""The servers' processes, for servers.py and its kafka, mongod and Keycloak modules: PID
files under the state directory's run/, logs under logs/, start-up waits, stops."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POM = Path(__file__).with_name("pom.xml")
STATE = Path(os.environ.get("SEVA_STATE_DIR", ROOT / ".local"))
HEALTH_TIMEOUT = float(os.environ.get("SEVA_SERVER_TIMEOUT", "120"))
LOGS = STATE / "logs"
RUN = STATE / "run"
RECORD: Path | None = None  # set by `up --record FILE`


class ServerError(RuntimeError):
    pass


def maven(what: str, *arguments: str) -> None:
    """Run one Maven goal on deploy/local/pom.xml (fetching `what`, said first)."""
    if not shutil.which("mvn"):
        raise ServerError(f"Maven (mvn) is needed to fetch {what}")
    print(f"fetching {what} with Maven ...", flush=True)
    subprocess.run(
        ["mvn", "-q", "-B", "-Dstyle.color=never", "-f", str(POM), *arguments], check=True
    )


def pid_of(name: str) -> int | None:
    path = RUN / f"{name}.pid"
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    try:
        os.kill(pid, 0)
        # a child that exited but was not reaped yet (a zombie) answers kill(0) too
        zombie = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (ProcessLookupError, PermissionError, FileNotFoundError):
        zombie = True
    if zombie:
        path.unlink(missing_ok=True)
        return None
    return pid


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def spawn(name: str, argv: list[str], env: dict[str, str] | None = None) -> int:
    LOGS.mkdir(parents=True, exist_ok=True)
    RUN.mkdir(parents=True, exist_ok=True)
    log = (LOGS / f"{name}.log").open("ab")
    process = subprocess.Popen(
        argv,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )
    (RUN / f"{name}.pid").write_text(str(process.pid))
    if RECORD is not None:  # what this call started, written at once: stopped even if `up` fails
        RECORD.write_text("".join(f"{n}\n" for n in [*RECORD.read_text().split(), name]))
    return process.pid


def wait(name: str, ready, pid: int, timeout: float = HEALTH_TIMEOUT) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if pid_of(name) is None:
            raise ServerError(f"{name} exited during start-up; read {LOGS / (name + '.log')}")
        try:
            if ready():
                return
        except Exception as error:
            last = f" (last error: {error})"
        time.sleep(0.5)
    raise ServerError(
        f"{name} (pid {pid}) not healthy after {timeout:g}s{last}; read {LOGS / (name + '.log')}"
    )


def stop(name: str, timeout: float = 60) -> None:
    pid = pid_of(name)
    if pid is None:
        print(f"{name} not running")
        return
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and pid_of(name) is not None:
        time.sleep(0.3)
    if pid_of(name) is not None:
        os.killpg(pid, signal.SIGKILL)
        print(f"{name} pid {pid} did not stop in {timeout:g}s; killed")
    else:
        print(f"{name} pid {pid} stopped")
    (RUN / f"{name}.pid").unlink(missing_ok=True)
