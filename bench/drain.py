"""A backlog drain: notify stopped (SIGSTOP) while a backlog of SMS requests is queued on
`sms-requests.v1` (the event the OTP service publishes, its code sealed with the stack's
key), then resumed; the SMS/s it reaches at the fake gateway and its CPU time per SMS,
delivery reports included, against the c=32 OTP request rate of the same run."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from bench.figures import Recorder
from bench.stack import BenchStack, cpu_seconds
from bench.stats import Figure, Target
from contracts import topics
from contracts.otp import SmsRequested
from servicekit.sealing import seal
from tests.stack import wait_until

CPU_TARGET = Target(at_most=3, absolute=True)  # ms of notify's CPU per SMS
RATE_TARGET = Target(at_least=3, absolute=True)  # x the c=32 OTP request rate


def requests(bench: BenchStack, count: int) -> list[tuple[bytes, bytes]]:
    """`count` SMS requests for distinct challenges and mobiles, as (key, value) bytes."""
    key = bench.stack.secret("SEVA_SMS_SEAL_KEY")
    now = datetime.now(UTC)
    run = uuid.uuid4().hex[:8]
    rng = random.Random(run)  # mobiles of no one: the phones are the fake gateway's
    made = []
    for i in range(count):
        challenge = f"drain-{run}-{i:06d}"
        event = SmsRequested(
            challenge_id=challenge,
            send_number=1,
            mobile=f"9{rng.randrange(10**9):09d}",
            sealed_code=seal(key, f"{rng.randrange(10**6):06d}"),
            locale="en",
            expires_at=now + timedelta(minutes=30),  # type: ignore[arg-type]
            producer="otp",
            correlation_id=challenge,
            partition_key=challenge,
            source_version=1,
            occurred_at=now,
        )
        made.append((challenge.encode(), event.model_dump_json().encode()))
    return made


async def _publish(bootstrap: str, backlog: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, linger_ms=5)
    await producer.start()
    try:
        sent = [await producer.send(topics.SMS_REQUESTS, value, key=key) for key, value in backlog]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


def delivered(bench: BenchStack) -> float:
    """Delivery reports notify has handled (its own metric)."""
    page = httpx.get(bench.stack.url("notify", "/metrics"), timeout=30).text
    return sum(
        float(line.split()[-1])
        for line in page.splitlines()
        if line.startswith("notify_sms_outcomes_total{") and 'state="delivered"' in line
    )


def backlog(bench: BenchStack, rec: Recorder, count: int, otp_rate: float | None) -> None:
    """Queue `count` SMS requests with notify stopped, resume it, and time the drain until
    every SMS is at the gateway and every delivery report is handled."""
    made = requests(bench, count)
    wanted = {key.decode() for key, _ in made}
    gateway = bench.stack.url("sms-gateway", "/messages")
    control = bench.gateway_control
    seen = len(httpx.get(gateway, headers=control, timeout=60).json()["messages"])
    reports_before = delivered(bench)
    group = bench.stack.pid("notify")
    os.killpg(group, signal.SIGSTOP)
    try:
        asyncio.run(_publish(f"127.0.0.1:{bench.stack.kafka_port}", made))
        cpu_before, all_before = cpu_seconds(group), bench.cpu()
        resumed = time.time()
    finally:
        os.killpg(group, signal.SIGCONT)
    arrivals: list[float] = []

    def drained() -> bool:
        nonlocal seen
        messages = httpx.get(gateway, params={"since": seen}, headers=control, timeout=60)
        listed: list[dict[str, Any]] = messages.json()["messages"]
        seen += len(listed)
        arrivals.extend(
            datetime.fromisoformat(m["received_at"]).timestamp()
            for m in listed
            if m["msgid"].split(":")[0] in wanted
        )
        return len(arrivals) >= count

    wait_until(f"{count} SMS of the backlog at the gateway", drained, 900, 0.5)
    wait_until(
        "every delivery report handled",
        lambda: delivered(bench) - reports_before >= count,
        120,
        0.5,
    )
    cpu = cpu_seconds(group) - cpu_before
    after = bench.cpu()
    seconds = max(arrivals) - resumed
    rate = count / seconds if seconds > 0 else float("nan")
    rec.raw["notify drain"] = {
        "backlog": count,
        "seconds": seconds,
        "first_sms_after_resume_s": min(arrivals) - resumed,
        "cpu seconds": {name: after[name] - all_before[name] for name in after},
    }
    rec.add(Figure("notify drain sms/s", rate, "sms/s"))
    rec.add(Figure("notify drain cpu ms/sms", cpu / count * 1000, "ms", target=CPU_TARGET))
    if otp_rate:
        ratio = rate / otp_rate
        rec.add(Figure("notify drain / otp requests c=32 rps", ratio, "x", target=RATE_TARGET))
    else:
        rec.note("notify drain: no c=32 OTP request rate measured, no ratio")
