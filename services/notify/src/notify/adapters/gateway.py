"""SMS gateway adapters: a generic HTTP gateway shaped like Indian government and bulk
SMS gateways (sender id, DLT entity and template ids), and a recording one for
development. Neither logs the message text."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import ssl
from dataclasses import dataclass

import aiohttp
import certifi
from aiohttp.helpers import get_env_proxy_for_url
from pydantic import SecretStr
from yarl import URL

from notify.ports import GatewayResult, OutgoingSms
from notify.settings import NotifySettings
from servicekit.pii import mask_mobile

log = logging.getLogger(__name__)
USER_AGENT = "seva-suraksha-notify/1.0"
MAX_ANSWER_BYTES = 64 * 1024  # a gateway's answer is a message id, not a page
MAX_HEADER_BYTES = 16 * 1024  # a header line as long as httpx allowed (aiohttp: 8 KiB)


@dataclass(frozen=True)
class GatewayAccount:
    """One gateway's address, account and DLT registration (each gateway has its own)."""

    url: str
    method: str
    username: str
    password: SecretStr
    sender_id: str
    dlt_entity_id: str
    template_ids: dict[str, str]  # locale -> DLT template id

    @classmethod
    def primary(cls, s: NotifySettings) -> GatewayAccount:
        return cls(
            s.gateway_url,
            s.gateway_method,
            s.gateway_username,
            s.gateway_password,
            s.sender_id,
            s.dlt_entity_id,
            {"en": s.dlt_template_id_en, "hi": s.dlt_template_id_hi},
        )

    @classmethod
    def failover(cls, s: NotifySettings) -> GatewayAccount | None:
        if s.failover_gateway_url is None:
            return None
        assert s.failover_gateway_password is not None  # the settings check all of them
        return cls(
            s.failover_gateway_url,
            s.failover_gateway_method,
            s.failover_gateway_username or "",
            s.failover_gateway_password,
            s.failover_sender_id or "",
            s.failover_dlt_entity_id or "",
            {"en": s.failover_dlt_template_id_en or "", "hi": s.failover_dlt_template_id_hi or ""},
        )


class HttpSmsGateway:
    """Sends `username, password, senderid, mobileno, content, smsservicetype,
    dlt_entity_id, dlt_template_id, msgid` as a form (POST) or query (GET).
    Timeouts and 5xx are retryable; other 4xx are not.

    At most `NOTIFY_GATEWAY_MAX_CONNECTIONS` calls are in flight (a gateway's account has a
    connection limit), on connections kept open between calls
    (`NOTIFY_GATEWAY_KEEPALIVE_SECONDS`), so a burst finds them warm. A call waits for a
    free connection here, before its timeout starts: a backlog queued behind a slow
    gateway is not a gateway timeout (which would open the circuit). The client is
    aiohttp's: a call costs it about a sixth of the CPU time httpx takes for the same call
    (docs/benchmarks.md), and every SMS makes one."""

    def __init__(self, settings: NotifySettings, account: GatewayAccount | None = None) -> None:
        self.account = account or GatewayAccount.primary(settings)
        self.settings = settings
        self.session: aiohttp.ClientSession | None = None  # opened on the first call's loop
        self.slots = asyncio.Semaphore(settings.gateway_max_connections)
        self.proxy, self.proxy_auth = _env_proxy(self.account.url)

    def _session(self) -> aiohttp.ClientSession:
        if self.session is None or self.session.closed:
            step = self.settings.gateway_timeout_seconds  # each step of a call, as httpx had
            self.session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self.settings.gateway_max_connections,
                    keepalive_timeout=self.settings.gateway_keepalive_seconds,
                    ssl=_tls(),
                ),
                timeout=aiohttp.ClientTimeout(
                    total=None, connect=step, sock_connect=step, sock_read=step
                ),
                headers={"User-Agent": USER_AGENT},  # a gateway's firewall may want one
                max_line_size=MAX_HEADER_BYTES,
                max_field_size=MAX_HEADER_BYTES,
            )
            # aiohttp sends a GET again by itself when the connection drops after the request
            # went out, and the gateway may have taken the first: whether to send again is
            # notify's to decide (its attempts, its once-only record), never the client's.
            self.session._retry_connection = False
        return self.session

    async def send(self, sms: OutgoingSms) -> GatewayResult:
        a = self.account
        params = {
            "username": a.username,
            "password": a.password.get_secret_value(),
            "senderid": a.sender_id,
            "mobileno": f"91{sms.mobile}",
            "content": sms.text,
            "smsservicetype": "unicodemsg" if sms.unicode else "otpmsg",
            "dlt_entity_id": a.dlt_entity_id,
            "dlt_template_id": a.template_ids.get(sms.locale, sms.template_id),
            "msgid": sms.client_ref,
        }
        try:
            async with self.slots:  # the timeout starts once a connection is free
                session = self._session()
                # A redirect is an answer, not followed: the account's password would go
                # wherever the gateway points (in the query of a GET gateway).
                call = session.request(
                    a.method,
                    a.url,
                    params=params if a.method == "GET" else None,
                    data=None if a.method == "GET" else params,
                    allow_redirects=False,
                    proxy=self.proxy,
                    proxy_auth=self.proxy_auth,
                )
                async with call as response:
                    status, body = response.status, await _answer(response)
        except TimeoutError:
            return GatewayResult(ok=False, retryable=True, error="gateway timed out")
        except aiohttp.ClientError as error:
            return GatewayResult(
                ok=False, retryable=True, error=f"gateway unreachable: {_reason(error)}"
            )
        if 200 <= status < 300:
            log.info("sms accepted for %s", mask_mobile(sms.mobile))
            return GatewayResult(ok=True, message_id=_message_id(body) if body else None)
        retryable = status >= 500 or status == 429
        return GatewayResult(ok=False, retryable=retryable, error=f"gateway answered HTTP {status}")

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()


async def _answer(response: aiohttp.ClientResponse) -> bytes | None:
    """The first `MAX_ANSWER_BYTES` of the body. A 2xx whose body cannot be read is still
    the gateway's yes (None: no message id); sending again would send the code twice."""
    body = b""
    try:
        while len(body) < MAX_ANSWER_BYTES:
            if not (chunk := await response.content.read(MAX_ANSWER_BYTES - len(body))):
                break
            body += chunk
    except (TimeoutError, aiohttp.ClientError):
        if not 200 <= response.status < 300:
            raise
        log.warning("gateway answered HTTP %d but its body was cut off", response.status)
        return None
    return body


def _reason(error: aiohttp.ClientError) -> str:
    """What went wrong, without the request's address: aiohttp's own text quotes the URL,
    and a GET gateway's URL holds the password, the mobile number and the code."""
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"cannot connect to {error.host}:{error.port}"
    if isinstance(error, aiohttp.ClientResponseError) and error.status:
        return f"{type(error).__name__} (HTTP {error.status})"
    return type(error).__name__


def _message_id(body: bytes) -> str | None:
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
        return body.decode(errors="replace").strip()[:100] or None
    return (
        str(answer.get("message_id"))
        if isinstance(answer, dict) and answer.get("message_id")
        else None
    )


def _env_proxy(url: str) -> tuple[str | None, aiohttp.BasicAuth | None]:
    """The proxy the environment names for `url` (HTTPS_PROXY / HTTP_PROXY, NO_PROXY), as
    the httpx client it replaced used it. Read once: aiohttp's `trust_env` reads the
    environment and ~/.netrc on a worker thread at every call, which cost more CPU than
    the call itself (0.61 against 0.19 ms)."""
    try:
        proxy, auth = get_env_proxy_for_url(URL(url))
    except LookupError:
        return None, None
    return str(proxy), auth


@functools.cache
def _tls() -> ssl.SSLContext:
    """The CA bundle httpx trusted (certifi's), not the image's system store."""
    return ssl.create_default_context(cafile=certifi.where())


class RecordingSmsGateway:
    """Development gateway: keeps what would be sent, in memory, and logs only masked data."""

    def __init__(self) -> None:
        self.sent: list[OutgoingSms] = []

    async def send(self, sms: OutgoingSms) -> GatewayResult:
        self.sent.append(sms)
        log.info("recorded sms for %s", mask_mobile(sms.mobile))
        return GatewayResult(ok=True, message_id=f"rec-{len(self.sent)}")
