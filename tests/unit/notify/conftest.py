"""The gateway on a loopback port that the HTTP gateway adapter's tests send to."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tests.helpers import free_port
from tests.unit.notify.loopback import Gateway


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    async def ok(_: web.Request) -> web.StreamResponse:
        return web.json_response({"message_id": "m1"})

    served = Gateway(url="", answer=ok)

    async def handle(request: web.Request) -> web.StreamResponse:
        fields = dict(request.query) if request.method == "GET" else dict(await request.post())
        served.seen.append({"method": request.method, **{k: str(v) for k, v in fields.items()}})
        served.hosts.append(request.host)
        served.agents.append(request.headers.get("User-Agent", ""))
        served.connections.add(id(request.transport))
        served.in_flight += 1
        served.most_in_flight = max(served.most_in_flight, served.in_flight)
        try:
            return await served.answer(request)
        finally:
            served.in_flight -= 1

    app = web.Application()
    app.router.add_route("*", "/send", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    served.url = f"http://127.0.0.1:{port}/send"
    try:
        yield served
    finally:
        await runner.cleanup()
