"""End-to-end OTP round trips, as a person on the portal makes them: request an OTP, wait
for the SMS at the (fake) gateway, verify with the code it carries. Closed loop at a fixed
concurrency, over the load generator's client processes.

Each client process polls the gateway once every `POLL_SECONDS` for what is new
(`GET /messages?since=`) and hands each SMS to the round trip waiting for it, so the
waiting costs the gateway one small answer per poll, not one per person."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass

import httpx

from bench import load

POLL_SECONDS = 0.05
SMS_TIMEOUT_SECONDS = 120.0
CODE = re.compile(r"\b(\d{6,8})\b")


@dataclass
class RoundTrip:
    request: load.Job  # POST /v1/otp/requests for one person
    verify_url: str  # POST /v1/otp/verifications
    headers: dict[str, str]


class Inbox:
    """SMS seen at the gateway, by challenge id, and the round trips waiting for one."""

    def __init__(self, gateway: str, control: dict[str, str], since: int) -> None:
        self.gateway, self.control, self.since = gateway, control, since
        self.arrived: dict[str, str] = {}
        self.waiting: dict[str, asyncio.Future[str]] = {}

    async def poll(self, client: httpx.AsyncClient) -> None:
        while True:
            try:
                answer = await client.get(
                    f"{self.gateway}/messages", params={"since": self.since}, headers=self.control
                )
                messages = answer.json()["messages"]
            except (httpx.HTTPError, ValueError):
                messages = []
            self.since += len(messages)
            for message in messages:
                challenge = message["msgid"].split(":")[0]
                self.arrived[challenge] = message["content"]
                if (future := self.waiting.pop(challenge, None)) and not future.done():
                    future.set_result(message["content"])
            await asyncio.sleep(POLL_SECONDS)

    async def sms_for(self, challenge: str) -> str:
        if challenge in self.arrived:
            return self.arrived[challenge]
        future = self.waiting[challenge] = asyncio.get_running_loop().create_future()
        return await asyncio.wait_for(future, SMS_TIMEOUT_SECONDS)


async def _round_trips(
    trips: list[RoundTrip], concurrency: int, gateway: str, control: dict[str, str], since: int
) -> list[load.Outcome]:
    queue: asyncio.Queue[RoundTrip] = asyncio.Queue()
    for trip in trips:
        queue.put_nowait(trip)
    outcomes: list[load.Outcome] = []
    inbox = Inbox(gateway, control, since)
    limits = httpx.Limits(max_connections=concurrency + 1, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def one(trip: RoundTrip) -> load.Outcome:
            start = time.perf_counter()
            status, body, error = await load.send(client, trip.request)
            if status != 202 or not body:
                return load.Outcome(
                    time.perf_counter() - start,
                    status or 0,
                    body,
                    time.time(),
                    error or f"request {status}",
                )
            challenge = body["challenge_id"]
            asked = time.perf_counter()
            try:
                content = await inbox.sms_for(challenge)
            except TimeoutError:
                return load.Outcome(time.perf_counter() - start, 0, None, time.time(), "no SMS")
            waited = time.perf_counter() - asked
            code = CODE.search(content)
            verify = load.Job(
                "POST",
                trip.verify_url,
                headers=trip.headers,
                json={"challenge_id": challenge, "code": code.group(1) if code else ""},
            )
            status, body, error = await load.send(client, verify)
            return load.Outcome(
                time.perf_counter() - start, status, body, time.time(), error, waited=waited
            )

        async def worker() -> None:
            while not queue.empty():
                outcomes.append(await one(queue.get_nowait()))

        poller = asyncio.create_task(inbox.poll(client))
        try:
            await asyncio.gather(*(worker() for _ in range(concurrency)))
        finally:
            poller.cancel()
    return outcomes


def run(
    trips: list[RoundTrip],
    concurrency: int,
    gateway: str,
    control: dict[str, str],
    processes: int = 2,
) -> load.Run:
    """Round trips with `concurrency` in flight, split over client processes. An outcome's
    latency is the whole round trip, `waited` the wait for the SMS; 2xx is verified.
    `control` is the header of the fake gateway's control token, which `/messages` needs."""
    listed = httpx.get(f"{gateway}/messages", headers=control, timeout=60)
    since = len(listed.json()["messages"])
    processes = max(1, min(processes, concurrency))
    per = [
        concurrency // processes + (1 if i < concurrency % processes else 0)
        for i in range(processes)
    ]
    shares = [(trips[i::processes], per[i], gateway, control, since) for i in range(processes)]
    return load.in_processes(_round_trips, shares)
