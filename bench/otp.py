"""The OTP figures: closed-loop request and verification bursts at each concurrency against
the floor, the time from an accepted request to its SMS at the fake gateway, and the CPU
time each process spent on a burst and its SMS (the fake gateway apart from the SMS path).
Open-loop rates and end-to-end round trips build on these (bench/surge.py)."""

from __future__ import annotations

import argparse
import itertools
import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx
from pymongo import MongoClient

from bench import load
from bench.figures import Recorder, drive
from bench.stack import BenchStack
from bench.stats import Figure, Target, percentile
from tests.fault.helpers import Generated
from tests.stack import wait_until

CONCURRENCY = (1, 32, 128)
EBILLING = "ebilling:"  # the Part-II employees the figures are about
LOAD_CPU_LIMIT = 0.25  # beyond this share of the machine the client may limit a figure


class OtpBench:
    def __init__(
        self, bench: BenchStack, rec: Recorder, args: argparse.Namespace, data: Generated
    ) -> None:
        self.bench, self.stack, self.rec, self.args = bench, bench.stack, rec, args
        self.people = iter(p for p in data.ready_people() if p["employee_id"].startswith(EBILLING))
        self.otp_url = self.stack.url("otp")
        self.headers = self.stack.bearer("OTP_PORTAL_TOKEN")
        self.seen = 0  # messages of the fake gateway read so far
        self.rates: dict[int, float] = {}  # closed-loop requests/s at each concurrency

    def take(self, count: int, what: str) -> list[dict[str, Any]]:
        """`count` people not asked before (fewer, said aloud, if the data runs out)."""
        chosen = list(itertools.islice(self.people, count))
        if len(chosen) < count:
            self.rec.note(f"{what}: {len(chosen)} people left of the {count} wanted")
        return chosen

    def request_job(self, person: dict[str, Any]) -> load.Job:
        return load.Job(
            "POST",
            f"{self.otp_url}/v1/otp/requests",
            headers=self.headers,
            json={"family_id": person["record_family_id"], "mobile": person["record_mobile"]},
        )

    def verify_job(self, challenge_id: str, code: str) -> load.Job:
        return load.Job(
            "POST",
            f"{self.otp_url}/v1/otp/verifications",
            headers=self.headers,
            json={"challenge_id": challenge_id, "code": code},
        )

    def closed_loop(self) -> None:
        for c in CONCURRENCY:
            chosen = self.take(self.args.requests, f"otp requests c={c}")
            before = self.floor(chosen, c, "before")
            jobs = [self.request_job(p) for p in chosen]
            cpu_before = self.bench.cpu()
            with self.notify_paused():
                requests = load.run(jobs, c)
            accepted = {
                o.body["challenge_id"]: o.done_at
                for o in requests.outcomes
                if o.status == 202 and o.body
            }
            paused = self.args.pause_notify  # a diagnostic: named apart, without targets
            suffix = " (notify paused)" if paused else ""
            name = f"otp requests{suffix} c={c}"
            self.rates[c] = len(requests.latencies) / requests.seconds if requests.seconds else 0
            self.load_cpu(name, requests, report=c == 32)
            codes, sms_latency, arrivals = self.sms(accepted)
            self.cpu_figures(f"c={c}", cpu_before, len(accepted), report=c == 32 and not paused)
            self.rec.raw[f"sms c={c}"] = sms_latency
            verify = load.run([self.verify_job(cid, code) for cid, code in codes.items()], c)
            after = self.floor(chosen, c, "after")
            floor = max(before, after, key=lambda run: run["rps"])
            self.rec.raw.setdefault("floor runs", {})[f"c={c}"] = {
                "before": before,
                "after": after,
            }
            self.rec.load_figures(name, requests, floor, c, not paused)
            self.rec.load_figures(f"otp verifications c={c}", verify, floor, c)
            self.sms_figures(c, suffix, sms_latency, accepted, arrivals)

    def floor(self, chosen: list[dict[str, Any]], c: int, when: str) -> dict[str, float]:
        """The floor at concurrency c over as many requests as the service gets, on keys of
        its own (every run inserts, none updates). It runs before the service's burst and
        after its verifications, and the faster of the two is the floor: one burst a
        passing stall (a checkpoint, a busy neighbour) slowed must not lower the bar."""
        jobs = [
            load.Job("POST", self.bench.floor_url, {"key": f"{p['employee_id']}:{when}"})
            for p in chosen
        ]
        return drive(jobs, c)

    def sms_figures(
        self,
        c: int,
        suffix: str,
        latencies: list[float],
        accepted: dict[str, float],
        arrivals: list[float],
    ) -> None:
        """SMS accepted->gateway p50/p99 and, at c=32, the drain tail: the last SMS at the
        gateway after the last accepted request (targets unless notify was paused)."""
        targeted = c == 32 and not suffix
        target = Target(at_most=1000, absolute=True) if targeted else None
        sms = f"sms accepted->gateway{suffix}"
        self.rec.add(Figure(f"{sms} p50 c={c}", percentile(latencies, 50), "ms"))
        self.rec.add(Figure(f"{sms} p99 c={c}", percentile(latencies, 99), "ms", target=target))
        if c == 32 and accepted and arrivals:
            tail = (max(arrivals) - max(accepted.values())) * 1000
            drain = Target(at_most=10_000, absolute=True) if targeted else None
            name = f"sms last accepted->last at gateway{suffix} c=32"
            self.rec.add(Figure(name, tail, "ms", target=drain))

    def load_cpu(self, name: str, run: load.Run, report: bool) -> None:
        """The load generator's own CPU time on a run; past a quarter of the machine the
        client may be what limits the figure, and the results say so."""
        share = run.cpu_share
        self.rec.raw.setdefault("load generator cpu", {})[name] = {
            "cpu_s": run.cpu_seconds,
            "seconds": run.seconds,
            "machine_share": share,
        }
        if report:
            self.rec.add(Figure(f"load generator cpu share {name}", share, "share"))
        if share > LOAD_CPU_LIMIT:
            self.rec.note(
                f"{name}: the load generator used {share:.0%} of the machine's CPU "
                f"(over {LOAD_CPU_LIMIT:.0%}): the client may limit this figure"
            )

    def cpu_figures(self, label: str, before: dict[str, float], sms: int, report: bool) -> None:
        """CPU seconds of each process from a burst's start until its last SMS reached the
        gateway; the fake gateway's and notify's per SMS as figures of their own."""
        after = self.bench.cpu()
        used = {name: after[name] - before[name] for name in after}
        self.rec.raw.setdefault("cpu seconds", {})[label] = {"sms": sms, **used}
        if not report or not sms:
            return
        self.rec.add(Figure(f"cpu sms-gateway {label}", used["sms-gateway"], "s"))
        self.rec.add(
            Figure(f"cpu sms-gateway per sms {label}", used["sms-gateway"] / sms * 1000, "ms")
        )
        per_sms = used["notify"] / sms * 1000
        target = Target(at_most=3, absolute=True) if label == "c=32" else None
        self.rec.add(Figure(f"cpu notify per sms {label}", per_sms, "ms", target=target))

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

    def sms(
        self, accepted: dict[str, float], since: dict[str, float] | None = None
    ) -> tuple[dict[str, str], list[float], list[float]]:
        """Codes of the accepted challenges, read from the fake gateway's JSON API (only
        what is new each time), the ms from the challenge's creation in the OTP service (its
        `created_at`, written when the request is accepted; or from `since`, per challenge,
        wall clock) to the gateway receiving the SMS (its `received_at`), and the arrivals."""
        found: dict[str, dict[str, Any]] = {}

        def arrived() -> bool:
            answer = httpx.get(
                self.stack.url("sms-gateway", "/messages"),
                params={"since": self.seen},
                headers=self.bench.gateway_control,
                timeout=60,
            )
            messages = answer.json()["messages"]
            self.seen += len(messages)
            for message in messages:
                challenge = message["msgid"].split(":")[0]
                if challenge in accepted and challenge not in found:
                    found[challenge] = message
            return len(found) == len(accepted)

        wait_until("an SMS for every accepted challenge", arrived, 300, 0.5)
        if since is None:
            challenges = MongoClient(self.bench.mongo_uri, tz_aware=True)["seva_otp"]["challenges"]
            since = {
                doc["_id"]: doc["created_at"].timestamp()
                for doc in challenges.find({"_id": {"$in": list(found)}}, {"created_at": 1})
            }
        codes, latencies, arrivals = {}, [], []
        for challenge, message in found.items():
            code = re.search(r"\b(\d{6,8})\b", message["content"])
            if code:
                codes[challenge] = code.group(1)
            received = datetime.fromisoformat(message["received_at"]).timestamp()
            arrivals.append(received)
            latencies.append((received - since[challenge]) * 1000)
        return codes, latencies, arrivals
