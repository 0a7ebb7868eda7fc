"""`make bench` (`python -m bench`): the services against the floor, on real servers.

Starts a private stack (tests/stack.py: its own Kafka, mongod and the services as processes
on ports 19000+base, 27000+base, 8000+base..; the floor on 8000+base+10), measures, prints
one line per figure and writes bench/results.json. Everything it started is stopped after.

    python -m bench [--quick] [--only ingest|otp|pipeline|floor] [--employees N] [--base B]
                    [--pause-notify]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymongo import MongoClient, ReplaceOne

from bench import load
from bench.stats import Figure, Target, percentile, rate, summary
from certification.domain.model import example_submission
from tests.fault.helpers import Generated, upload
from tests.stack import ROOT, Stack, wait_until

RESULTS = Path(__file__).with_name("results.json")
CONCURRENCY = (1, 32, 128)
EBILLING = "ebilling:"  # the Part-II employees the ingest figure is about
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
RATIO_TARGETS = {"rps": Target(at_least=0.6), "p99_ms": Target(at_most=3.0)}
UNITS = {"rps": "req/s", "p50_ms": "ms", "p95_ms": "ms", "p99_ms": "ms", "errors": "count"}


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.stack = Stack(args.state, args.base)
        self.stack.env.update(BENCH_ENV)
        self.mongo_uri = f"mongodb://127.0.0.1:{self.stack.mongo_port}/?replicaSet=rs0"
        self.floor_port = 8000 + args.base + 10
        self.figures: list[Figure] = []
        self.raw: dict[str, Any] = {}
        self.data: Generated | None = None
        self.floor_process: subprocess.Popen[bytes] | None = None

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        print(figure.line(), flush=True)

    # -- set-up -------------------------------------------------------------------------

    def start(self) -> None:
        self.stack.servers("up")
        with MongoClient(self.mongo_uri) as client:  # a clean slate: earlier runs' data
            for name in client.list_database_names():
                if name not in ("admin", "local", "config"):
                    client.drop_database(name)
        self.stack.services("up")
        env = {**self.stack.env, "MONGODB_URI": self.mongo_uri}
        log = (self.args.state / "logs" / "floor.log").open("ab")
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

    def generate(self) -> Generated:
        from ingest.generator import generate

        out = self.args.state / f"data-{self.args.employees}"
        path = out / "manifest.json"
        if not path.exists():
            print(f"generating {self.args.employees} employees into {out}", flush=True)
            generate(out, self.args.employees, 20260213)
        return Generated(out, json.loads(path.read_text()))

    # -- ingest -------------------------------------------------------------------------

    def ingest(self, report: bool) -> None:
        data = self.data = self.generate()
        # Part-II: the e-Billing file alone, every line of it, to the OTP service's view.
        expected = sum(1 for e in data.accepted() if e.startswith(EBILLING))
        views = MongoClient(self.mongo_uri)["seva_otp"]["views"]
        upload(self.stack, data, "master")
        started = time.monotonic()
        upload(self.stack, data, "ebilling")
        uploaded = time.monotonic() - started
        wait_until(
            f"{expected} e-Billing employees in the OTP view",
            lambda: views.count_documents({"_id": {"$regex": f"^{EBILLING}"}}) >= expected,
            timeout=max(300, expected / 20),
            pause=0.5,
        )
        seconds = time.monotonic() - started
        self.raw["ingest"] = {"employees": expected, "seconds": seconds, "upload_s": uploaded}
        if not report:
            return
        floor = self.bulk_floor(list(views.find({})))
        self.add(Figure("ingest file->view", rate(expected, seconds), "rec/s", floor, Target(0.5)))
        for name, kib in self.peak_rss().items():
            self.add(Figure(f"ingest peak RSS {name}", kib / 1024, "MiB"))

    def bulk_floor(self, docs: list[dict[str, Any]]) -> float:
        """Raw bulk_write upserts of the view's documents, 1000 a batch."""
        target = MongoClient(self.mongo_uri)["bench_floor"]["bulk"]
        target.drop()
        started = time.monotonic()
        for i in range(0, len(docs), 1000):
            batch = docs[i : i + 1000]
            target.bulk_write([ReplaceOne({"_id": d["_id"]}, d, upsert=True) for d in batch])
        seconds = time.monotonic() - started
        self.raw["bulk_floor"] = {"documents": len(docs), "seconds": seconds}
        return rate(len(docs), seconds)

    def peak_rss(self) -> dict[str, int]:
        """VmHWM (KiB) of each service: its process plus children (uvicorn workers)."""
        return {
            name: sum(vm_hwm(p) for p in tree(self.stack.pid(name))) for name in self.stack.ports
        }

    # -- OTP ----------------------------------------------------------------------------

    def otp(self, report: bool = True) -> None:
        assert self.data is not None
        people = iter(p for p in self.data.ready_people() if p["employee_id"].startswith(EBILLING))
        otp_url, headers = self.stack.url("otp"), self.stack.bearer("OTP_PORTAL_TOKEN")
        for c in CONCURRENCY:
            chosen = [next(people) for _ in range(self.args.requests)]
            floor = self.drive(
                [
                    load.Job(
                        "POST",
                        f"http://127.0.0.1:{self.floor_port}/floor",
                        {"key": p["employee_id"]},
                    )
                    for p in chosen
                ],
                c,
            )
            jobs = [
                load.Job(
                    "POST",
                    f"{otp_url}/v1/otp/requests",
                    headers=headers,
                    json={"family_id": p["record_family_id"], "mobile": p["record_mobile"]},
                )
                for p in chosen
            ]
            with self.notify_paused():
                requests = load.run(jobs, c)
            accepted = {
                o.body["challenge_id"]: o.done_at
                for o in requests.outcomes
                if o.status == 202 and o.body
            }
            paused = self.args.pause_notify  # a diagnostic: named apart, without targets
            suffix = " (notify paused)" if paused else ""
            self.figures_for(f"otp requests{suffix} c={c}", requests, floor, c, not paused)
            codes, sms_latency = self.sms(accepted)
            self.raw[f"sms c={c}"] = sms_latency
            verify = load.run(
                [
                    load.Job(
                        "POST",
                        f"{otp_url}/v1/otp/verifications",
                        headers=headers,
                        json={"challenge_id": cid, "code": code},
                    )
                    for cid, code in codes.items()
                ],
                c,
            )
            self.figures_for(f"otp verifications c={c}", verify, floor, c)
            target = Target(at_most=1000, absolute=True) if c == 32 and not paused else None
            sms = f"sms accepted->gateway{suffix}"
            self.add(Figure(f"{sms} p50 c={c}", percentile(sms_latency, 50), "ms"))
            self.add(
                Figure(
                    f"{sms} p99 c={c}",
                    percentile(sms_latency, 99),
                    "ms",
                    target=target,
                )
            )

    @contextmanager
    def notify_paused(self) -> Iterator[None]:
        """With --pause-notify, notify is stopped (SIGSTOP) while a request burst lasts, so
        the burst has the cores that the SMS path (notify, the gateway, the delivery
        report back) would take from it. A diagnostic: its figures carry no target."""
        if not self.args.pause_notify:
            yield
            return
        os.killpg(self.stack.pid("notify"), signal.SIGSTOP)
        try:
            yield
        finally:
            os.killpg(self.stack.pid("notify"), signal.SIGCONT)

    def drive(self, jobs: list[load.Job], c: int) -> dict[str, float]:
        run = load.run(jobs, c)
        return summary(run.latencies, run.errors, run.seconds)

    def figures_for(
        self, name: str, run: load.Run, floor: dict[str, float], c: int, targets: bool = True
    ) -> None:
        got = summary(run.latencies, run.errors, run.seconds)
        self.raw[name] = {"service": got, "floor": floor, "errors": run.error_kinds()}
        for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "errors"):
            target = RATIO_TARGETS.get(key) if c == 32 and targets else None
            floor_value = floor[key] if key != "errors" else None
            self.add(Figure(f"{name} {key}", got[key], UNITS[key], floor_value, target))

    def sms(self, accepted: dict[str, float]) -> tuple[dict[str, str], list[float]]:
        """Codes of the accepted challenges, read from the fake gateway's JSON API, and the ms
        from the challenge's creation in the OTP service (its `created_at`, written when the
        request is accepted) to the gateway receiving the SMS (its `received_at`)."""
        found: dict[str, dict[str, Any]] = {}

        def arrived() -> bool:
            for message in self.stack.sms():
                challenge = message["msgid"].split(":")[0]
                if challenge in accepted and challenge not in found:
                    found[challenge] = message
            return len(found) == len(accepted)

        wait_until("an SMS for every accepted challenge", arrived, 300, 0.5)
        challenges = MongoClient(self.mongo_uri, tz_aware=True)["seva_otp"]["challenges"]
        created = {
            doc["_id"]: doc["created_at"].timestamp()
            for doc in challenges.find({"_id": {"$in": list(found)}}, {"created_at": 1})
        }
        codes, latencies = {}, []
        for challenge, message in found.items():
            code = re.search(r"\b(\d{6,8})\b", message["content"])
            if code:
                codes[challenge] = code.group(1)
            received = datetime.fromisoformat(message["received_at"]).timestamp()
            latencies.append((received - created[challenge]) * 1000)
        return codes, latencies

    # -- certification effective -> gate open -------------------------------------------

    def certification(self) -> None:
        import httpx

        from tests.officers import provisioning as officers

        assert self.data is not None
        blocked = [
            p
            for p in self.data.manifest["people"]
            if p["accepted"]
            and p["defects"] == ["non_contractual"]
            and p["employee_id"].startswith("ebilling:")
        ][: self.args.certifications]
        views = MongoClient(self.mongo_uri)["seva_otp"]["views"]
        # officers live in the session's Keycloak (the stack signs in there too)
        signed_in = officers.DemoOfficers(Path(os.environ.get("SEVA_STATE_DIR", ROOT / ".local")))

        def officer(role: str, *offices: str) -> dict[str, str]:
            """An officer of the bench, signed in at the session's Keycloak."""
            name = "bench-" + "-".join([role, *offices]).lower()
            return signed_in.bearer(signed_in.ensure(name, role, offices))

        latencies = []
        with httpx.Client(timeout=60) as http:
            for person in blocked:
                if views.find_one({"_id": person["employee_id"], "decision.gate.open": True}):
                    continue  # open already (another record of theirs): nothing to measure

                def submitted(p: dict[str, Any] = person) -> httpx.Response | None:
                    answer = http.post(
                        self.stack.url("certification", "/v1/certifications"),
                        data={"submission": json.dumps(submission(p))},
                        headers=officer("ddo", p["ddo_code"]),
                    )
                    return None if answer.status_code == 422 else answer  # record not read yet

                made = wait_until("the certification service to know the person", submitted, 120)
                cid = made.raise_for_status().json()["id"]
                cert = self.stack.url("certification", f"/v1/certifications/{cid}")
                advice = {"advice_number": "HRD/ADV/BENCH", "advice_date": "2026-02-26"}
                http.post(f"{cert}/advice", headers=officer("hrd"), json=advice).raise_for_status()
                sent = time.time()
                done = http.post(f"{cert}/activate", headers=officer("hrd")).raise_for_status()
                stamp = done.json().get("effective_at")
                effective = datetime.fromisoformat(stamp).timestamp() if stamp else sent
                wait_until(
                    "the gate to open",
                    lambda p=person: views.find_one(
                        {"_id": p["employee_id"], "decision.gate.open": True}, {"_id": 1}
                    ),
                    60,
                    0.005,
                )
                latencies.append((time.time() - effective) * 1000)
        self.raw["certification_to_gate_ms"] = latencies
        self.add(Figure("certification effective->gate open p50", percentile(latencies, 50), "ms"))
        self.add(Figure("certification effective->gate open p99", percentile(latencies, 99), "ms"))

    # -- floor only -----------------------------------------------------------------------

    def floor_only(self) -> None:
        keys = [f"floor:{i}" for i in range(self.args.requests)]
        for c in CONCURRENCY:
            got = self.drive(
                [
                    load.Job("POST", f"http://127.0.0.1:{self.floor_port}/floor", {"key": k})
                    for k in keys
                ],
                c,
            )
            self.raw[f"floor c={c}"] = got
            for key in ("rps", "p50_ms", "p99_ms"):
                self.add(Figure(f"floor c={c} {key}", got[key], UNITS[key]))

    def results(self) -> dict[str, Any]:
        return {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(self.mongo_uri),
            "options": {k: str(v) for k, v in vars(self.args).items()},
            "figures": [f.to_json() for f in self.figures],
            "raw": self.raw,
        }


def submission(person: dict[str, Any]) -> dict[str, Any]:
    return example_submission(
        person["employee_id"],
        person["ddo_code"],
        letter_number=f"No. BENCH/{person['employee_id']}/2026-HR",
        officer_name="Bench DDO",
    )


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


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", choices=("ingest", "otp", "pipeline", "floor"))
    parser.add_argument(
        "--employees", type=int, help="people generated: default 260000 (--quick 2000)"
    )
    parser.add_argument("--requests", type=int, help="per concurrency (default 2000, quick 200)")
    parser.add_argument("--certifications", type=int, help="default 30 (quick 5)")
    parser.add_argument("--base", type=int, default=int(os.environ.get("SEVA_BENCH_BASE", 500)))
    parser.add_argument("--state", type=Path, default=ROOT / ".local" / "bench")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write results")
    parser.add_argument(
        "--pause-notify",
        action="store_true",
        help="diagnostic: stop notify while each OTP request burst lasts (no targets)",
    )
    args = parser.parse_args(argv)
    # 260,000 people hold about 120,000 e-Billing (Part-II) employees.
    args.employees = args.employees or (2000 if args.quick else 260_000)
    args.requests = args.requests or (200 if args.quick else 2000)
    args.certifications = args.certifications or (5 if args.quick else 30)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    bench = Bench(args)
    try:
        bench.start()
        if args.only == "floor":
            bench.floor_only()
        else:
            bench.ingest(report=args.only in (None, "ingest"))
            if args.only in (None, "otp", "pipeline"):
                bench.otp()
            if args.only in (None, "pipeline"):
                bench.certification()
        results = bench.results()
    finally:
        bench.stop()
    args.results.write_text(json.dumps(results, indent=1, default=str) + "\n")
    met = [f.met for f in bench.figures if f.met is not None]
    print(f"targets met: {sum(met)}/{len(met)}; results in {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
