"""What the HTTP gateway adapter's tests send and where: one SMS, the notify settings for
a gateway URL, and a gateway on a loopback port whose answer a test chooses, recording
what it was sent and how (the `gateway` fixture of conftest.py serves it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from pydantic import SecretStr

from notify.ports import OutgoingSms
from notify.settings import NotifySettings

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
