"""The fake gateway costs what a stand-in should: its delivery reports share a few warm
connections and none is lost, and its message list answers by mobile and from a position
without a scan of everything the phones received."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request

from notify.fakegateway.app import create_app as create_gateway
from notify.fakegateway.reports import REPORT_CONNECTIONS
from tests.helpers import eventually, free_port
from tests.integration.notify.conftest import CONTROL, GATEWAY_TOKEN

SEND = {"senderid": "HRYGOV", "dlt_template_id": "1107000000000000001", "content": "123456"}


@pytest.fixture
async def reports() -> AsyncIterator[tuple[str, list[tuple[int, dict[str, Any]]]]]:
    """A stand-in for notify's report route: what it received and from which client port."""
    received: list[tuple[int, dict[str, Any]]] = []
    app = FastAPI()

    @app.post("/v1/delivery-reports")
    async def report(request: Request) -> dict[str, str]:
        assert request.client is not None
        received.append((request.client.port, await request.json()))
        return {"status": "ok"}

    async with _serve(app) as url:
        yield f"{url}/v1/delivery-reports", received


@asynccontextmanager
async def _serve(app: FastAPI) -> AsyncIterator[str]:
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    await eventually(lambda: _started(server), timeout=10, interval=0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def _started(server: uvicorn.Server) -> bool:
    return bool(server.started)


async def test_delivery_reports_of_a_burst_reuse_a_few_warm_connections_and_none_is_lost(
    reports: tuple[str, list[tuple[int, dict[str, Any]]]],
) -> None:
    callback, received = reports
    async with (
        _serve(create_gateway(callback, "report-token", control_token=GATEWAY_TOKEN)) as gateway,
        httpx.AsyncClient() as client,
    ):

        async def send(n: int) -> int:
            form = {**SEND, "mobileno": f"9811100{n:03d}", "msgid": f"ch-{n}:1"}
            return (await client.post(f"{gateway}/api/send", data=form)).status_code

        assert set(await asyncio.gather(*(send(n) for n in range(60)))) == {200}
        await eventually(lambda: _async(len(received) == 60), timeout=20)
    assert sorted(body["msgid"] for _, body in received) == sorted(f"ch-{n}:1" for n in range(60))
    ports = {port for port, _ in received}
    assert len(ports) <= REPORT_CONNECTIONS, "a new connection per report"


async def test_messages_are_listed_by_mobile_and_from_a_position() -> None:
    async with (
        _serve(create_gateway(control_token=GATEWAY_TOKEN)) as gateway,
        httpx.AsyncClient() as client,
    ):
        for n, mobile in enumerate(["9811100001", "9811100002", "9811100001"]):
            form = {**SEND, "mobileno": mobile, "msgid": f"ch-{n}:1"}
            await client.post(f"{gateway}/api/send", data=form)
        await client.post(f"{gateway}/api/send", data={**SEND, "mobileno": "1", "msgid": "ch-0:1"})

        async def listed(**params: str | int) -> Any:
            answer = await client.get(f"{gateway}/messages", params=params, headers=CONTROL)
            return answer.json()

        everything = await listed()
        one = await listed(mobile="9811100001")
        later = await listed(since=1)
        later_one = await listed(mobile="9811100001", since=1)
    assert everything["calls"] == 4  # the duplicate reference was called, not stored again
    assert [m["msgid"] for m in everything["messages"]] == ["ch-0:1", "ch-1:1", "ch-2:1"]
    assert [m["msgid"] for m in one["messages"]] == ["ch-0:1", "ch-2:1"]
    assert [m["msgid"] for m in later["messages"]] == ["ch-1:1", "ch-2:1"]
    assert [m["msgid"] for m in later_one["messages"]] == ["ch-2:1"]


async def _async(value: bool) -> bool:
    return value


async def test_a_report_sent_on_a_connection_the_other_side_closed_is_sent_again() -> None:
    """The report route here answers one request per connection and then closes it without
    saying so (as a server closes an idle connection): every report still arrives, once."""
    received: list[bytes] = []

    async def one_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
        received.append(await reader.readexactly(length))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(one_request, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    callback = f"http://127.0.0.1:{port}/v1/delivery-reports"
    async with (
        server,
        _serve(create_gateway(callback, "report-token", control_token=GATEWAY_TOKEN)) as gateway,
        httpx.AsyncClient() as client,
    ):
        for n in range(12):
            form = {**SEND, "mobileno": f"9811100{n:03d}", "msgid": f"ch-{n}:1"}
            assert (await client.post(f"{gateway}/api/send", data=form)).status_code == 200
        await eventually(lambda: _async(len(received) >= 12), timeout=20)
    bodies = sorted(json.loads(body)["msgid"] for body in received)
    assert bodies == sorted(f"ch-{n}:1" for n in range(12))
