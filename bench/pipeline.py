"""The data-path figures: an e-Billing file to the OTP service's view against raw bulk
upserts, certification effective to gate open, and the floor on its own."""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from pymongo import MongoClient, ReplaceOne

from bench import load
from bench.figures import UNITS, Recorder, drive
from bench.otp import CONCURRENCY, EBILLING
from bench.stack import BenchStack
from bench.stats import Figure, Target, percentile, rate
from certification.domain.model import example_submission
from tests.fault.helpers import Generated, upload
from tests.stack import ROOT, wait_until

# The processes an employee's record passes through from the upload to the view, and
# certification, which keeps where each employee is placed from the same records.
INGEST_PROCESSES = ("ingest", "otp", "certification", "mongod", "kafka")


def ingest(bench: BenchStack, rec: Recorder, args: argparse.Namespace, report: bool) -> Generated:
    data = bench.generate(args.employees)
    # Part-II: the e-Billing file alone, every line of it, to the OTP service's view.
    expected = sum(1 for e in data.accepted() if e.startswith(EBILLING))
    views = MongoClient(bench.mongo_uri)["seva_otp"]["views"]
    upload(bench.stack, data, "master")
    cpu_before = bench.cpu()
    started = time.monotonic()
    upload(bench.stack, data, "ebilling")
    uploaded = time.monotonic() - started
    wait_until(
        f"{expected} e-Billing employees in the OTP view",
        lambda: views.count_documents({"_id": {"$regex": f"^{EBILLING}"}}) >= expected,
        timeout=max(300, expected / 20),
        pause=0.5,
    )
    seconds = time.monotonic() - started
    after = bench.cpu()
    cpu = {name: after[name] - cpu_before[name] for name in INGEST_PROCESSES}
    rec.raw["ingest"] = {
        **{"employees": expected, "seconds": seconds, "upload_s": uploaded},
        "cpu_s": cpu,
    }
    if not report:
        return data
    for name, used in {**cpu, "total": sum(cpu.values())}.items():
        rec.add(Figure(f"ingest cpu {name} per employee", used / expected * 1000, "ms"))
    floor = bulk_floor(bench, rec, list(views.find({})))
    rec.add(Figure("ingest file->view", rate(expected, seconds), "rec/s", floor, Target(0.5)))
    for name, kib in bench.peak_rss().items():
        rec.add(Figure(f"ingest peak RSS {name}", kib / 1024, "MiB"))
    return data


def bulk_floor(bench: BenchStack, rec: Recorder, docs: list[dict[str, Any]]) -> float:
    """Raw bulk_write upserts of the view's documents, 1000 a batch."""
    target = MongoClient(bench.mongo_uri)["bench_floor"]["bulk"]
    target.drop()
    started = time.monotonic()
    for i in range(0, len(docs), 1000):
        batch = docs[i : i + 1000]
        target.bulk_write([ReplaceOne({"_id": d["_id"]}, d, upsert=True) for d in batch])
    seconds = time.monotonic() - started
    rec.raw["bulk_floor"] = {"documents": len(docs), "seconds": seconds}
    return rate(len(docs), seconds)


def certification(
    bench: BenchStack, rec: Recorder, args: argparse.Namespace, data: Generated
) -> None:
    import httpx

    from tests.officers import provisioning as officers

    stack = bench.stack
    blocked = [
        p
        for p in data.manifest["people"]
        if p["accepted"]
        and p["defects"] == ["non_contractual"]
        and p["employee_id"].startswith("ebilling:")
    ][: args.certifications]
    views = MongoClient(bench.mongo_uri)["seva_otp"]["views"]
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
                    stack.url("certification", "/v1/certifications"),
                    data={"submission": json.dumps(submission(p))},
                    headers=officer("ddo", p["ddo_code"]),
                )
                return None if answer.status_code == 422 else answer  # record not read yet

            made = wait_until("the certification service to know the person", submitted, 120)
            cid = made.raise_for_status().json()["id"]
            cert = stack.url("certification", f"/v1/certifications/{cid}")
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
    rec.raw["certification_to_gate_ms"] = latencies
    rec.add(Figure("certification effective->gate open p50", percentile(latencies, 50), "ms"))
    rec.add(Figure("certification effective->gate open p99", percentile(latencies, 99), "ms"))


def submission(person: dict[str, Any]) -> dict[str, Any]:
    return example_submission(
        person["employee_id"],
        person["ddo_code"],
        letter_number=f"No. BENCH/{person['employee_id']}/2026-HR",
        officer_name="Bench DDO",
    )


def floor_only(bench: BenchStack, rec: Recorder, args: argparse.Namespace) -> None:
    keys = [f"floor:{i}" for i in range(args.requests)]
    for c in CONCURRENCY:
        got = drive([load.Job("POST", bench.floor_url, {"key": k}) for k in keys], c)
        rec.raw[f"floor c={c}"] = got
        for key in ("rps", "p50_ms", "p99_ms"):
            rec.add(Figure(f"floor c={c} {key}", got[key], UNITS[key]))
