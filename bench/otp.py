"""The OTP figures: closed-loop request and verification bursts at each concurrency against
the floor, and the time from an accepted request to its SMS at the fake gateway."""

from __future__ import annotations

import argparse
import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from pymongo import MongoClient

from bench import load
from bench.figures import Recorder, drive
from bench.stack import BenchStack
from bench.stats import Figure, Target, percentile
from tests.fault.helpers import Generated
from tests.stack import wait_until

CONCURRENCY = (1, 32, 128)
EBILLING = "ebilling:"  # the Part-II employees the figures are about


class OtpBench:
    def __init__(
        self, bench: BenchStack, rec: Recorder, args: argparse.Namespace, data: Generated
    ) -> None:
        self.bench, self.stack, self.rec, self.args = bench, bench.stack, rec, args
        self.people = iter(p for p in data.ready_people() if p["employee_id"].startswith(EBILLING))
        self.otp_url = self.stack.url("otp")
        self.headers = self.stack.bearer("OTP_PORTAL_TOKEN")

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
            chosen = [next(self.people) for _ in range(self.args.requests)]
            floor = drive(
                [load.Job("POST", self.bench.floor_url, {"key": p["employee_id"]}) for p in chosen],
                c,
            )
            jobs = [self.request_job(p) for p in chosen]
            with self.notify_paused():
                requests = load.run(jobs, c)
            accepted = {
                o.body["challenge_id"]: o.done_at
                for o in requests.outcomes
                if o.status == 202 and o.body
            }
            paused = self.args.pause_notify  # a diagnostic: named apart, without targets
            suffix = " (notify paused)" if paused else ""
            self.rec.load_figures(f"otp requests{suffix} c={c}", requests, floor, c, not paused)
            codes, sms_latency = self.sms(accepted)
            self.rec.raw[f"sms c={c}"] = sms_latency
            verify = load.run([self.verify_job(cid, code) for cid, code in codes.items()], c)
            self.rec.load_figures(f"otp verifications c={c}", verify, floor, c)
            target = Target(at_most=1000, absolute=True) if c == 32 and not paused else None
            sms = f"sms accepted->gateway{suffix}"
            self.rec.add(Figure(f"{sms} p50 c={c}", percentile(sms_latency, 50), "ms"))
            self.rec.add(
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
        challenges = MongoClient(self.bench.mongo_uri, tz_aware=True)["seva_otp"]["challenges"]
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
