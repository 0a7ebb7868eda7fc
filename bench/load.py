"""The load generator: client processes (not one event loop) sending prepared requests,
either closed-loop at a fixed concurrency or open-loop at a fixed offered rate. The same
code drives the floor and the services, so ratios are fair. Each run also reports the
generator's own CPU time, so a figure limited by its client can be told apart."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import ssl
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

# Per client process, as a portal's backend keeps a bounded pool: twice the c=32 burst's
# connections. Past it, requests due wait in the generator, charged from their intended
# time; an unbounded pool let a slow answer open hundreds of connections, whose pool
# bookkeeping in the client took the CPU the server needed, and the run collapsed.
OPEN_LOOP_CONNECTIONS = 64


@dataclass
class Job:
    method: str
    url: str
    json: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


@dataclass
class Outcome:
    latency: float  # seconds; open loop: from the intended send time (coordinated omission)
    status: int  # 0 when no answer came
    body: dict[str, Any] | None
    done_at: float  # wall clock (time.time()) when the answer arrived
    error: str = ""  # why it failed: the answer's status and text, or the exception
    intended_at: float = 0.0  # open loop: when the schedule said to send it (wall clock)
    lag: float = 0.0  # open loop: how late the generator actually sent it, seconds
    waited: float = 0.0  # round trip: seconds spent waiting for the SMS at the gateway


@dataclass
class Run:
    outcomes: list[Outcome]
    seconds: float
    cpu_seconds: float = 0.0  # the load generator's own CPU time, all its processes

    @property
    def latencies(self) -> list[float]:
        return [o.latency for o in self.outcomes if 200 <= o.status < 300]

    @property
    def errors(self) -> int:
        return sum(1 for o in self.outcomes if not 200 <= o.status < 300)

    def error_kinds(self) -> dict[str, int]:
        """How many failed for each reason, so a run records why, not only how many."""
        return dict(Counter(o.error for o in self.outcomes if not 200 <= o.status < 300))

    @property
    def cpu_share(self) -> float:
        """The generator's CPU time as a share of the machine's cores over the run."""
        return self.cpu_seconds / self.seconds / (os.cpu_count() or 1) if self.seconds else 0.0


async def send(client: httpx.AsyncClient, job: Job) -> tuple[int, dict[str, Any] | None, str]:
    """One request: its status (0 for no answer), JSON body and, if it failed, why."""
    error = ""
    try:
        response = await client.request(job.method, job.url, json=job.json, headers=job.headers)
        status = response.status_code
        if not 200 <= status < 300:
            error = f"{status} {response.text[:200]}"
        body = response.json() if response.content else None
    except (httpx.HTTPError, ValueError) as failure:
        status, body = 0, None
        error = f"no answer: {type(failure).__name__} {failure}"[:200]
    return status, body, error


async def _drive(jobs: list[Job], concurrency: int) -> list[Outcome]:
    queue: asyncio.Queue[Job] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    outcomes: list[Outcome] = []

    async def worker() -> None:
        async with one_connection() as client:
            while not queue.empty():
                job = queue.get_nowait()
                start = time.perf_counter()
                status, body, error = await send(client, job)
                latency = time.perf_counter() - start
                outcomes.append(Outcome(latency, status, body, time.time(), error))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return outcomes


_TLS = ssl.create_default_context()


def one_connection() -> httpx.AsyncClient:
    """A client of one kept-open connection, one per worker (as `wrk` keeps one per
    connection): a shared pool's bookkeeping grows with its connections, and at 128 of
    them cost the generator about 7 ms of CPU a request against 1.4 ms at 32."""
    return httpx.AsyncClient(
        timeout=60,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        verify=_TLS,  # one context for all of them: each would load the CA bundle again
    )


async def _drive_at(
    schedule: list[tuple[float, Job]], connections: int = OPEN_LOOP_CONNECTIONS
) -> list[Outcome]:
    """Send each job at its intended wall-clock time whether or not earlier ones have been
    answered (open loop) on up to `connections` connections; latency counts from the
    intended time, so a stalled server is charged for every request it delayed, not only
    for the ones in flight, and `lag` is how long a job waited to be sent (the schedule
    running late, or every connection busy)."""
    due: asyncio.Queue[tuple[float, Job] | None] = asyncio.Queue()
    outcomes: list[Outcome] = []

    async def sender() -> None:
        async with one_connection() as client:
            while (item := await due.get()) is not None:
                intended, job = item
                lag = time.time() - intended
                status, body, error = await send(client, job)
                done = time.time()
                outcomes.append(Outcome(done - intended, status, body, done, error, intended, lag))

    senders = [asyncio.create_task(sender()) for _ in range(connections)]
    for intended, job in schedule:
        if (delay := intended - time.time()) > 0:
            await asyncio.sleep(delay)
        due.put_nowait((intended, job))
    for _ in senders:
        due.put_nowait(None)
    await asyncio.gather(*senders)
    return outcomes


def _timed(
    work: Callable[..., Awaitable[list[Outcome]]], args: tuple[Any, ...], start_at: float
) -> tuple[list[Outcome], float]:
    """Run `work(*args)` in this client process from `start_at` on: its outcomes and the
    CPU time the process used for them."""
    time.sleep(max(0.0, start_at - time.time()))  # every process starts together
    before = resource.getrusage(resource.RUSAGE_SELF)
    outcomes = asyncio.run(work(*args))
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return outcomes, cpu


def in_processes(
    work: Callable[..., Awaitable[list[Outcome]]],
    shares: Sequence[tuple[Any, ...]],
    start_at: float | None = None,
) -> Run:
    """`work(*share)` in one client process per share, all started on the same instant
    (`start_at`, wall clock; by default a second from now); seconds count from it."""
    start_at = start_at or time.time() + 1.0
    context = multiprocessing.get_context("fork")
    with context.Pool(len(shares)) as pool:
        results = pool.starmap(_timed, [(work, share, start_at) for share in shares])
    outcomes = [o for part, _ in results for o in part]
    seconds = max((o.done_at for o in outcomes), default=start_at) - start_at
    return Run(outcomes, seconds, sum(cpu for _, cpu in results))


def run(jobs: list[Job], concurrency: int, processes: int = 2) -> Run:
    """Send `jobs` with `concurrency` requests in flight, split over client processes."""
    processes = max(1, min(processes, concurrency))
    per = [
        concurrency // processes + (1 if i < concurrency % processes else 0)
        for i in range(processes)
    ]
    return in_processes(_drive, [(jobs[i::processes], per[i]) for i in range(processes)])


def run_at_rate(jobs: list[Job], rate: float, processes: int = 2) -> Run:
    """Open loop: job i is due `i / rate` seconds after the start, whatever the answers;
    the offered load lasts `len(jobs) / rate` seconds. Split over client processes."""
    start_at = time.time() + 2.0  # the client processes are forked and waiting by then
    schedule = [(start_at + i / rate, job) for i, job in enumerate(jobs)]
    processes = max(1, processes)
    shares = [(schedule[i::processes],) for i in range(processes)]
    return in_processes(_drive_at, shares, start_at)
