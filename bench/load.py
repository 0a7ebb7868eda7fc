"""The load generator: client processes (not one event loop) sending prepared requests at a
fixed concurrency. The same code drives the floor and the services, so ratios are fair."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Job:
    method: str
    url: str
    json: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


@dataclass
class Outcome:
    latency: float  # seconds
    status: int  # 0 when no answer came
    body: dict[str, Any] | None
    done_at: float  # wall clock (time.time()) when the answer arrived
    error: str = ""  # why it failed: the answer's status and text, or the exception


@dataclass
class Run:
    outcomes: list[Outcome]
    seconds: float

    @property
    def latencies(self) -> list[float]:
        return [o.latency for o in self.outcomes if 200 <= o.status < 300]

    @property
    def errors(self) -> int:
        return sum(1 for o in self.outcomes if not 200 <= o.status < 300)

    def error_kinds(self) -> dict[str, int]:
        """How many failed for each reason, so a run records why, not only how many."""
        return dict(Counter(o.error for o in self.outcomes if not 200 <= o.status < 300))


async def _drive(jobs: list[Job], concurrency: int) -> list[Outcome]:
    queue: asyncio.Queue[Job] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    outcomes: list[Outcome] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def worker() -> None:
            while not queue.empty():
                job = queue.get_nowait()
                start = time.perf_counter()
                error = ""
                try:
                    response = await client.request(
                        job.method, job.url, json=job.json, headers=job.headers
                    )
                    status = response.status_code
                    if not 200 <= status < 300:
                        error = f"{status} {response.text[:200]}"
                    body = response.json() if response.content else None
                except (httpx.HTTPError, ValueError) as failure:
                    status, body = 0, None
                    error = f"no answer: {type(failure).__name__} {failure}"[:200]
                latency = time.perf_counter() - start
                outcomes.append(Outcome(latency, status, body, time.time(), error))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return outcomes


def _child(jobs: list[Job], concurrency: int, start_at: float) -> list[Outcome]:
    time.sleep(max(0.0, start_at - time.time()))  # every process starts together
    return asyncio.run(_drive(jobs, concurrency))


def run(jobs: list[Job], concurrency: int, processes: int = 2) -> Run:
    """Send `jobs` with `concurrency` requests in flight, split over client processes."""
    processes = max(1, min(processes, concurrency))
    shares = [jobs[i::processes] for i in range(processes)]
    per = [
        concurrency // processes + (1 if i < concurrency % processes else 0)
        for i in range(processes)
    ]
    start_at = time.time() + 1.0
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        results = pool.starmap(_child, [(s, c, start_at) for s, c in zip(shares, per, strict=True)])
    outcomes = [o for part in results for o in part]
    seconds = max((o.done_at for o in outcomes), default=start_at) - start_at
    return Run(outcomes, seconds)
