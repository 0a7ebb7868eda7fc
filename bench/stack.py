"""The bench's private stack: servers, services and the floor app started and stopped, the
generated people, and what `/proc` says about the processes (peak memory, the machine)."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from pymongo import MongoClient

from tests.fault.helpers import Generated
from tests.stack import ROOT, Stack, wait_until

# Limits raised for the bench only: every request must reach the code, not a 429.
BENCH_ENV = {
    "OTP_HTTP_WORKERS": "2",
    "OTP_SENDS_PER_EMPLOYEE_PER_HOUR": "1000000",
    "OTP_SENDS_PER_MOBILE_PER_HOUR": "1000000",
    "OTP_REQUESTS_PER_CLIENT_PER_MINUTE": "100000000",
    "OTP_LOG_LEVEL": "WARNING",
    "INGEST_LOG_LEVEL": "WARNING",
    "NOTIFY_LOG_LEVEL": "WARNING",
    "CERTIFICATION_LOG_LEVEL": "WARNING",
}


class BenchStack:
    """tests/stack.py's Stack with the bench's settings, plus the floor app beside it."""

    def __init__(self, state: Path, base: int) -> None:
        self.state = state
        self.stack = Stack(state, base)
        self.stack.env.update(BENCH_ENV)
        self.mongo_uri = f"mongodb://127.0.0.1:{self.stack.mongo_port}/?replicaSet=rs0"
        self.floor_port = 8000 + base + 10
        self.floor_process: subprocess.Popen[bytes] | None = None

    @property
    def gateway_control(self) -> dict[str, str]:
        """The header the fake gateway's control routes (`/messages`) require."""
        return self.stack.bearer("SMS_GATEWAY_CONTROL_TOKEN")

    @property
    def floor_url(self) -> str:
        return f"http://127.0.0.1:{self.floor_port}/floor"

    def start(self) -> None:
        self.stack.servers("up")
        with MongoClient(self.mongo_uri) as client:  # a clean slate: earlier runs' data
            for name in client.list_database_names():
                if name not in ("admin", "local", "config"):
                    client.drop_database(name)
        self.stack.services("up")
        env = {**self.stack.env, "MONGODB_URI": self.mongo_uri}
        log = (self.state / "logs" / "floor.log").open("ab")
        self.floor_process = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "bench.floor:create_app", "--factory"),
                *("--workers", BENCH_ENV["OTP_HTTP_WORKERS"], "--port", str(self.floor_port)),
                *("--no-access-log", "--log-level", "warning"),
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until("the floor app", self._floor_up, 60, 0.3)

    def _floor_up(self) -> bool:
        import httpx

        try:
            return httpx.get(f"http://127.0.0.1:{self.floor_port}/docs").status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self.floor_process is not None:
            os.killpg(self.floor_process.pid, 15)
            self.floor_process.wait(20)
        for script in ("services.py", "servers.py"):
            subprocess.run(
                [sys.executable, str(ROOT / "deploy" / "local" / script), "down"],
                env=self.stack.env,
                check=False,
            )

    def generate(self, employees: int) -> Generated:
        from ingest.generator import generate

        out = self.state / f"data-{employees}"
        path = out / "manifest.json"
        if not path.exists():
            print(f"generating {employees} employees into {out}", flush=True)
            generate(out, employees, 20260213)
        return Generated(out, json.loads(path.read_text()))

    def cpu(self) -> dict[str, float]:
        """CPU seconds used so far by each service (with its workers), mongod and Kafka."""
        names = (*self.stack.ports, "mongod", "kafka")
        return {name: cpu_seconds(self.stack.pid(name)) for name in names}

    def peak_rss(self) -> dict[str, int]:
        """VmHWM (KiB) of each service: its process plus children (uvicorn workers)."""
        return {
            name: sum(vm_hwm(p) for p in tree(self.stack.pid(name))) for name in self.stack.ports
        }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of pid and its descendants, from /proc/<pid>/stat."""
    ticks = 0
    for one in tree(pid):
        try:
            stat = Path(f"/proc/{one}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / os.sysconf("SC_CLK_TCK")


def listening_pid(port: int) -> int | None:
    """The process here that listens on TCP `port` (a server of the stack: mongod, Kafka's
    JVM), found through /proc/net/tcp[6] and each process's open sockets; None if none."""
    sockets = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state, inode = (fields := row.split())[1], fields[3], fields[9]
            if state == "0A" and int(local.rpartition(":")[2], 16) == port:  # 0A: LISTEN
                sockets.add(f"socket:[{inode}]")
    for proc in Path("/proc").iterdir() if sockets else ():
        if not proc.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in sockets for fd in (proc / "fd").iterdir()):
                return int(proc.name)
        except OSError:
            continue
    return None


def tree(pid: int) -> list[int]:
    """pid and its descendants."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            found += tree(int(child))
    return found


def vm_hwm(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) if found else 0


def machine(mongo_uri: str) -> dict[str, Any]:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    mem = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    pom = (ROOT / "deploy" / "local" / "pom.xml").read_text()
    kafka = re.search(r"<kafka.version>([^<]+)<", pom)
    try:
        with MongoClient(mongo_uri, serverSelectionTimeoutMS=2000) as client:
            mongod = client.server_info()["version"]
    except Exception:  # the servers may be down already
        mongod = None
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu.group(1) if cpu else platform.processor(),
        "ram_gib": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
        "python": platform.python_version(),
        "kafka": kafka.group(1) if kafka else None,
        "mongod": mongod,
        "platform": platform.platform(),
    }
