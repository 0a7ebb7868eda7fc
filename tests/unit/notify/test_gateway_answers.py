"""How the HTTP gateway adapter reads a loopback gateway's answers and failures: each HTTP
status is a success, a refusal or a failure worth retrying; a timeout and an unreachable
gateway are retryable; a redirect is a refusal and is not followed, so the password goes
nowhere else."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from notify.adapters.gateway import HttpSmsGateway
from tests.helpers import free_port
from tests.unit.notify.loopback import SMS, Gateway, settings


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
