"""The open-loop generator sends on schedule whatever the answers, and counts latency from
each request's intended send time, so a server that stalls is charged for every request it
delayed (coordinated omission corrected)."""

from __future__ import annotations

import asyncio
import os
import socket
import time

from bench.load import Job, Outcome, Run, _drive_at


async def _serial_server(
    seconds: float, connections: list[int] | None = None
) -> tuple[asyncio.Server, int]:
    """An HTTP server answering one request at a time, each after `seconds`; each
    connection it accepts is counted in `connections`."""
    lock = asyncio.Lock()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if connections is not None:
            connections.append(1)
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:  # the client closed the connection
                writer.close()
                return
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            await reader.readexactly(length)
            async with lock:
                await asyncio.sleep(seconds)
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
            await writer.drain()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_latency_counts_from_the_intended_send_time_not_from_the_send() -> None:
    async def scenario() -> list[Outcome]:
        server, port = await _serial_server(0.2)
        async with server:
            start = time.time() + 0.2
            job = Job("POST", f"http://127.0.0.1:{port}/x", json={})
            # 10 requests due 20 ms apart against a server that takes 200 ms each
            return await _drive_at([(start + i * 0.02, job) for i in range(10)])

    outcomes = sorted(asyncio.run(scenario()), key=lambda o: o.intended_at)
    assert [o.status for o in outcomes] == [200] * 10
    # every request left on schedule (within a busy machine's scheduling jitter) ...
    assert max(o.lag for o in outcomes) < 0.5
    # ... and the last, due at 0.18 s, was answered after ten 200 ms turns: 1.8 s late
    assert outcomes[-1].latency > 1.4
    assert outcomes[-1].latency > outcomes[0].latency + 1.2


def test_the_generator_reports_its_cpu_share_of_the_machine() -> None:
    run = Run([], seconds=10.0, cpu_seconds=5.0)
    assert run.cpu_share == 5.0 / 10.0 / (os.cpu_count() or 1)


def test_a_request_due_to_an_absent_server_is_an_error_on_schedule() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    job = Job("POST", f"http://127.0.0.1:{port}/x", json={})
    [outcome] = asyncio.run(_drive_at([(time.time(), job)]))
    assert outcome.status == 0
    assert outcome.error.startswith("no answer: ConnectError")


def test_a_request_sent_late_is_charged_the_time_it_was_held_back() -> None:
    async def scenario() -> list[Outcome]:
        server, port = await _serial_server(0.0)
        async with server:
            job = Job("POST", f"http://127.0.0.1:{port}/x", json={})
            # due half a second ago: a generator (or a client pool) that fell behind
            return await _drive_at([(time.time() - 0.5, job)])

    [outcome] = asyncio.run(scenario())
    assert outcome.status == 200
    assert outcome.lag >= 0.5
    assert outcome.latency >= outcome.lag


def test_requests_due_while_every_connection_is_busy_wait_in_the_generator_charged() -> None:
    opened: list[int] = []

    async def scenario() -> list[Outcome]:
        server, port = await _serial_server(0.1, opened)
        async with server:
            start = time.time() + 0.2
            job = Job("POST", f"http://127.0.0.1:{port}/x", json={})
            # 12 due at once against a server taking 100 ms each, on at most 3 connections
            return await _drive_at([(start, job)] * 12, connections=3)

    outcomes = sorted(asyncio.run(scenario()), key=lambda o: o.latency)
    assert [o.status for o in outcomes] == [200] * 12
    assert len(opened) <= 3
    # the last waited for eleven turns before its own: charged from the intended time
    assert outcomes[-1].latency > 1.0
    assert outcomes[-1].lag > 0.6
