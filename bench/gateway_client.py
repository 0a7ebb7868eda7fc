"""CPU time of notify's gateway adapter per send: `HttpSmsGateway` against a minimal HTTP
gateway on a loopback port in this process, 5,000 sends with the adapter's connection
limit in flight, after as many to warm up. The adapter makes one call per SMS; an option
of its client that costs per call (a proxy looked up each time, a client's pool
bookkeeping) shows here before it shows in notify's CPU per SMS."""

from __future__ import annotations

import asyncio
import time

from pydantic import SecretStr

from bench.figures import Recorder
from bench.stats import Figure
from notify.adapters.gateway import HttpSmsGateway
from notify.ports import OutgoingSms
from notify.settings import NotifySettings
from tests.helpers import read_request

SENDS = 5000
ANSWER = b'{"message_id": "m-1"}'


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            await read_request(reader)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER)
            )
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


async def _cpu_ms_per_send() -> float:
    server = await asyncio.start_server(_answer, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/send"
    secret = SecretStr("bench")
    gateway = HttpSmsGateway(
        NotifySettings(
            sms_seal_key=secret,
            gateway_password=secret,
            delivery_report_token=secret,
            gateway_url=url,
        )
    )
    sms = OutgoingSms("9876543210", "Your OTP is 482913", False, "1107000000000000001", "b:1")
    try:
        await asyncio.gather(*(gateway.send(sms) for _ in range(SENDS)))  # warm
        started = time.process_time()
        results = await asyncio.gather(*(gateway.send(sms) for _ in range(SENDS)))
        spent = time.process_time() - started
    finally:
        await gateway.close()
        server.close()
    if not all(result.ok for result in results):
        raise RuntimeError("the loopback gateway refused a send")
    return spent * 1000 / SENDS


def measure(rec: Recorder) -> None:
    """`notify gateway client cpu ms/send`: the adapter and the minimal gateway together."""
    value = asyncio.run(_cpu_ms_per_send())
    rec.add(Figure("notify gateway client cpu ms/send", value, "ms"))
