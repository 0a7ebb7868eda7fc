"""The HTTP gateway adapter against a gateway on a loopback port: the fields it sends,
how it reads the gateway's answers and failures, its connection limit and warm
connections."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from pydantic import SecretStr

from notify.adapters.gateway import HttpSmsGateway
from notify.ports import OutgoingSms
from notify.settings import NotifySettings
from tests.helpers import free_port, read_request

SMS = OutgoingSms("9876543210", "Your OTP is 482913", False, "1107000000000000001", "ch-1:1")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def settings(url: str, **overrides: object) -> NotifySettings:
    secret = SecretStr("x")
    return NotifySettings(
        sms_seal_key=secret,
        gateway_password=SecretStr("gateway-secret"),
        delivery_report_token=secret,
        gateway_url=url,
        **overrides,  # type: ignore[arg-type]
    )


@dataclass
class Gateway:
    """A gateway on a loopback port whose answer a test chooses."""

    url: str
    answer: Handler
    seen: list[dict[str, str]] = field(default_factory=list)
    connections: set[int] = field(default_factory=set)
    hosts: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0


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


async def test_a_post_sends_the_account_and_dlt_fields_as_a_form(gateway: Gateway) -> None:
    sms_gateway = HttpSmsGateway(settings(gateway.url))
    try:
        result = await sms_gateway.send(SMS)
    finally:
        await sms_gateway.close()

    assert (result.ok, result.message_id) == (True, "m1")
    assert gateway.agents == ["seva-suraksha-notify/1.0"], "a gateway's firewall may want one"
    assert gateway.seen == [
        {
            "method": "POST",
            "username": "hrygov",
            "password": "gateway-secret",
            "senderid": "HRYGOV",
            "mobileno": "919876543210",
            "content": "Your OTP is 482913",
            "smsservicetype": "otpmsg",
            "dlt_entity_id": "1101000000000000001",
            "dlt_template_id": "1107000000000000001",
            "msgid": "ch-1:1",
        }
    ]


async def test_a_get_gateway_gets_them_in_the_query_and_a_text_answer_is_its_id(
    gateway: Gateway,
) -> None:
    async def text(_: web.Request) -> web.StreamResponse:
        return web.Response(text="  402,MsgID = 150620201830  \n")

    gateway.answer = text
    sms_gateway = HttpSmsGateway(settings(gateway.url, gateway_method="GET"))
    try:
        result = await sms_gateway.send(
            OutgoingSms("9876543210", "आपका ओटीपी 482913", True, "t", "ch-2:1", "hi")
        )
    finally:
        await sms_gateway.close()

    assert (result.ok, result.message_id) == (True, "402,MsgID = 150620201830")
    sent = gateway.seen[0]
    assert (sent["method"], sent["content"]) == ("GET", "आपका ओटीपी 482913")
    assert sent["smsservicetype"] == "unicodemsg"
    assert sent["dlt_template_id"] == "1107000000000000002", "the Hindi template's id"


@pytest.mark.parametrize(
    ("status", "ok", "retryable"),
    [
        (200, True, False),
        (202, True, False),
        (400, False, False),
        (401, False, False),
        (429, False, True),
        (500, False, True),
        (503, False, True),
    ],
)
async def test_gateway_answers_are_classified(
    gateway: Gateway, status: int, ok: bool, retryable: bool
) -> None:
    async def answer(_: web.Request) -> web.StreamResponse:
        return web.json_response({"message_id": "m1"}, status=status)

    gateway.answer = answer
    sms_gateway = HttpSmsGateway(settings(gateway.url))
    try:
        result = await sms_gateway.send(SMS)
    finally:
        await sms_gateway.close()

    assert (result.ok, result.retryable) == (ok, retryable)
    if not ok:
        assert result.error == f"gateway answered HTTP {status}"


async def test_a_gateway_timeout_is_retryable(gateway: Gateway) -> None:
    async def hang(_: web.Request) -> web.StreamResponse:
        await asyncio.sleep(5)
        return web.json_response({})

    gateway.answer = hang
    sms_gateway = HttpSmsGateway(settings(gateway.url, gateway_timeout_seconds=0.2))
    try:
        result = await sms_gateway.send(SMS)
    finally:
        await sms_gateway.close()

    assert (result.ok, result.retryable, result.error) == (False, True, "gateway timed out")


async def test_an_unreachable_gateway_is_retryable_and_says_so() -> None:
    sms_gateway = HttpSmsGateway(settings(f"http://127.0.0.1:{free_port()}/send"))
    try:
        result = await sms_gateway.send(SMS)
    finally:
        await sms_gateway.close()

    assert (result.ok, result.retryable) == (False, True)
    assert (result.error or "").startswith("gateway unreachable: ")


async def test_calls_in_flight_stay_within_the_limit_on_warm_connections(
    gateway: Gateway,
) -> None:
    async def slow(_: web.Request) -> web.StreamResponse:
        await asyncio.sleep(0.02)
        return web.json_response({"message_id": "m"})

    gateway.answer = slow
    sms_gateway = HttpSmsGateway(settings(gateway.url, gateway_max_connections=3))
    try:
        results = await asyncio.gather(*(sms_gateway.send(SMS) for _ in range(30)))
    finally:
        await sms_gateway.close()

    assert all(result.ok for result in results)
    assert gateway.most_in_flight == 3
    assert len(gateway.connections) == 3, "30 calls on the same 3 connections"


async def test_waiting_for_a_free_connection_is_not_a_gateway_timeout(gateway: Gateway) -> None:
    """10 calls, 2 connections, 0.3 s a call, a 0.5 s timeout: the last calls wait 1.2 s
    for a connection, and none of them timed out at the gateway."""

    async def slow(_: web.Request) -> web.StreamResponse:
        await asyncio.sleep(0.3)
        return web.json_response({"message_id": "m"})

    gateway.answer = slow
    sms_gateway = HttpSmsGateway(
        settings(gateway.url, gateway_max_connections=2, gateway_timeout_seconds=0.5)
    )
    try:
        results = await asyncio.gather(*(sms_gateway.send(SMS) for _ in range(10)))
    finally:
        await sms_gateway.close()

    assert [result.error for result in results] == [None] * 10
    assert gateway.most_in_flight == 2


async def test_a_proxy_named_in_the_environment_carries_the_calls(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Government networks reach an outside gateway through a proxy (HTTPS_PROXY and
    HTTP_PROXY, NO_PROXY): here the loopback gateway plays the proxy."""
    monkeypatch.setenv("HTTP_PROXY", gateway.url.removesuffix("/send"))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    sms_gateway = HttpSmsGateway(settings("http://sms-gateway.invalid/send"))
    try:
        result = await sms_gateway.send(SMS)
    finally:
        await sms_gateway.close()

    assert result.ok, result.error
    assert gateway.hosts == ["sms-gateway.invalid"]


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_redirect_is_a_refusal_and_is_not_followed(gateway: Gateway, method: str) -> None:
    async def elsewhere(_: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("http://collector.invalid/take")

    gateway.answer = elsewhere
    sms_gateway = HttpSmsGateway(settings(gateway.url, gateway_method=method))
    try:
        result = await sms_gateway.send(SMS)
    finally:
        await sms_gateway.close()

    assert (result.ok, result.retryable) == (False, False)
    assert result.error == "gateway answered HTTP 302"
    assert len(gateway.seen) == 1, "the password went nowhere else"


async def test_no_proxy_sends_a_listed_host_direct(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")  # nothing listens
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    sms_gateway = HttpSmsGateway(settings(gateway.url))
    try:
        result = await sms_gateway.send(SMS)
    finally:
        await sms_gateway.close()

    assert result.ok, result.error


Raw = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_gateway(answer: Raw) -> AsyncIterator[tuple[str, list[bytes]]]:
    """A gateway that answers in bytes a test writes (malformed, cut off, slow); yields its
    URL and the request lines it read."""
    lines: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                lines.append(await read_request(reader))
                await answer(reader, writer)
                if writer.is_closing():
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/send", lines
    finally:
        server.close()


async def _send_once(url: str, **overrides: object) -> tuple[object, ...]:
    sms_gateway = HttpSmsGateway(settings(url, **overrides))
    try:
        result = await sms_gateway.send(SMS)
    finally:
        await sms_gateway.close()
    return result.ok, result.retryable, result.message_id, result.error


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    "answer",
    [b"HTTP/1.1 2OO OK\r\n\r\n", b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n"],
    ids=["bad status line", "header over the limit"],
)
async def test_a_malformed_answer_names_no_secret_mobile_or_code(
    method: str, answer: bytes
) -> None:
    """The client's error text quotes the request's URL, and a GET gateway's URL holds them."""

    async def malformed(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(answer)
        await writer.drain()
        writer.close()

    async with raw_gateway(malformed) as (url, _):
        ok, retryable, _, error = await _send_once(url, gateway_method=method)

    assert (ok, retryable) == (False, True)
    assert str(error).startswith("gateway unreachable: ")
    for secret in ("gateway-secret", "9876543210", "482913", "password"):
        assert secret not in str(error)


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_connection_dropped_after_the_request_is_not_sent_again_by_the_client(
    method: str,
) -> None:
    """The gateway read the request (and may send the SMS) but closed without answering:
    the call fails, one request reached the gateway; sending again is notify's decision."""

    async def drop(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    async with raw_gateway(drop) as (url, lines):
        ok, retryable, _, _ = await _send_once(url, gateway_method=method)

    assert (ok, retryable) == (False, True)
    assert len(lines) == 1, "the client did not send it again by itself"


async def test_the_timeout_is_per_step_not_for_the_whole_call() -> None:
    """Headers after 0.3 s, the rest of the body 0.3 s later, a 0.5 s timeout: accepted."""

    async def slow(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.3)
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n{"message_id":')
        await writer.drain()
        await asyncio.sleep(0.3)
        writer.write(b'"m1"}')
        await writer.drain()

    async with raw_gateway(slow) as (url, _):
        answer = await _send_once(url, gateway_timeout_seconds=0.5)

    assert answer == (True, False, "m1", None)


async def test_a_yes_whose_body_is_cut_off_is_sent_without_an_id() -> None:
    """HTTP 200 then the connection closes mid-body: the gateway took it; a retry would
    send the code twice."""

    async def cut(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"message_id": "m')
        await writer.drain()
        writer.close()

    async with raw_gateway(cut) as (url, _):
        answer = await _send_once(url)

    assert answer == (True, False, None, None)


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b"x" * 1_000_000],
    ids=["nested past the recursion limit", "a megabyte of text"],
)
async def test_an_odd_yes_is_still_a_yes(body: bytes) -> None:
    async def odd(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()

    async with raw_gateway(odd) as (url, _):
        ok, _, message_id, _ = await _send_once(url)

    assert ok
    assert message_id is None or len(message_id) <= 100
