"""The HTTP gateway adapter against a gateway answering in bytes a test writes: a
malformed answer fails naming no secret, mobile or code; a connection dropped after the
request is not sent again by the client; the timeout is per step, not for the whole call;
a yes whose body is cut off, or that is odd, is still a yes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from notify.adapters.gateway import HttpSmsGateway
from tests.helpers import read_request
from tests.unit.notify.loopback import SMS, settings

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
