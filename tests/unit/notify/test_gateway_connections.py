"""The HTTP gateway adapter's connections to a gateway on a loopback port: calls in flight
stay within the limit, on the same warm connections, and waiting for a free one is no
gateway timeout; a proxy named in the environment carries the calls, and NO_PROXY sends a
listed host direct."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from notify.adapters.gateway import HttpSmsGateway
from tests.helpers import free_port
from tests.unit.notify.loopback import SMS, Gateway, settings


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
