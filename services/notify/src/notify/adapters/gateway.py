"""SMS gateway adapters: a generic HTTP gateway shaped like Indian government and bulk
SMS gateways (sender id, DLT entity and template ids), and a recording one for
development. Neither logs the message text."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from notify.ports import GatewayResult, OutgoingSms
from notify.settings import NotifySettings
from servicekit.pii import mask_mobile

log = logging.getLogger(__name__)
# httpx logs request URLs at INFO; a GET gateway carries the text in its query.
logging.getLogger("httpx").setLevel(logging.WARNING)


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
    connection limit), each on a connection of its own kept open between calls
    (`NOTIFY_GATEWAY_KEEPALIVE_SECONDS`), so a burst finds them warm. Each connection is a
    client of one connection: the HTTP client checks every connection of its pool for
    expiry on every request, so one pool of N would cost N checks a call; waiting calls
    queue here for a free connection, not in the client's pool."""

    def __init__(
        self,
        settings: NotifySettings,
        client: httpx.AsyncClient | None = None,
        account: GatewayAccount | None = None,
    ) -> None:
        self.account = account or GatewayAccount.primary(settings)
        one = httpx.Limits(
            max_connections=1,
            max_keepalive_connections=1,
            keepalive_expiry=settings.gateway_keepalive_seconds,
        )
        self.clients = (
            [client]
            if client
            else [
                httpx.AsyncClient(timeout=settings.gateway_timeout_seconds, limits=one)
                for _ in range(settings.gateway_max_connections)
            ]
        )
        self.free: asyncio.Queue[httpx.AsyncClient] = asyncio.Queue()
        for each in self.clients:
            self.free.put_nowait(each)

    async def send(self, sms: OutgoingSms) -> GatewayResult:
        client = await self.free.get()
        try:
            return await self._send(client, sms)
        finally:
            self.free.put_nowait(client)

    async def _send(self, client: httpx.AsyncClient, sms: OutgoingSms) -> GatewayResult:
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
            if a.method == "GET":
                response = await client.get(a.url, params=params)
            else:
                response = await client.post(a.url, data=params)
        except httpx.TimeoutException:
            return GatewayResult(ok=False, retryable=True, error="gateway timed out")
        except httpx.TransportError as error:
            return GatewayResult(ok=False, retryable=True, error=f"gateway unreachable: {error}")
        if response.is_success:
            log.info("sms accepted for %s", mask_mobile(sms.mobile))
            return GatewayResult(ok=True, message_id=_message_id(response))
        retryable = response.status_code >= 500 or response.status_code == 429
        return GatewayResult(
            ok=False, retryable=retryable, error=f"gateway answered HTTP {response.status_code}"
        )

    async def close(self) -> None:
        for client in self.clients:
            await client.aclose()


def _message_id(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:100] or None
    return (
        str(body.get("message_id")) if isinstance(body, dict) and body.get("message_id") else None
    )


class RecordingSmsGateway:
    """Development gateway: keeps what would be sent, in memory, and logs only masked data."""

    def __init__(self) -> None:
        self.sent: list[OutgoingSms] = []

    async def send(self, sms: OutgoingSms) -> GatewayResult:
        self.sent.append(sms)
        log.info("recorded sms for %s", mask_mobile(sms.mobile))
        return GatewayResult(ok=True, message_id=f"rec-{len(self.sent)}")
