"""The fake gateway's HTTP app. For development only: it shows every message it received,
OTPs included, so it binds to loopback (`bind_host`) and its control routes need the
bearer token `SMS_GATEWAY_CONTROL_TOKEN` (the page also takes it as `?token=`).

- `POST|GET /api/send`: the request notify's HTTP adapter sends; deduplicates on `msgid`.
- `POST /control {fail_status, fail_count, hang_seconds, latency_seconds}`: misbehave for the
  next `fail_count` sends (a status code, or hanging longer than the caller's timeout).
- `GET /messages?mobile=&since=`: JSON of what was received (for one mobile; from the
  `since`-th message on, in arrival order, so a poller reads only what is new); `GET /`: the
  same as a page.
- `POST /reset`: forget everything.
Each but `/api/send` and `/healthz` answers 401 without the control token.
With `SMS_GATEWAY_CALLBACK_URL` (and `SMS_GATEWAY_CALLBACK_TOKEN`) it posts a DELIVRD report
for each accepted message, in arrival order, from a queue: `REPORT_CONNECTIONS` senders, each
with one connection kept open (`notify.fakegateway.reports`: a burst of reports never opens
a connection per report, nor waits for a pool slot until it times out and is lost).

A stand-in for an external gateway must cost little, or the bench charges its work to the
SMS path: messages are indexed by client reference and by mobile, and each is turned into
its JSON form once, when it arrives.
"""

import asyncio
import hmac
import html
import ipaddress
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

from notify.fakegateway.reports import REPORT_CONNECTIONS, ReportConnection, send_reports
from servicekit.aadhaar import new_id


class Control(BaseModel):
    fail_status: int | None = None
    fail_count: int = 0
    hang_seconds: float = 0.0
    latency_seconds: float = 0.0


@dataclass
class Received:
    message_id: str
    msgid: str
    mobile: str
    content: str
    senderid: str
    smsservicetype: str
    dlt_entity_id: str
    dlt_template_id: str
    received_at: str
    repeated: int = 0  # sends of the same msgid after the first (a real gateway may send them)


@dataclass
class MessageStore:
    """What the phones received, in arrival order, indexed for the lookups the API makes:
    by client reference (`msgid`, deduplication) and by mobile (`/messages?mobile=`)."""

    messages: list[Received] = field(default_factory=list)
    as_json: list[dict[str, Any]] = field(default_factory=list)
    by_msgid: dict[str, Received] = field(default_factory=dict)
    by_mobile: dict[str, list[int]] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)  # msgid -> index in `messages`

    def add(self, message: Received) -> None:
        self.by_mobile.setdefault(message.mobile, []).append(len(self.messages))
        self.messages.append(message)
        self.position[message.msgid] = len(self.as_json)
        self.as_json.append(asdict(message))
        self.by_msgid[message.msgid] = message

    def repeat(self, message: Received) -> None:
        """Count a send of a client reference already received (no second SMS)."""
        message.repeated += 1
        self.as_json[self.position[message.msgid]]["repeated"] = message.repeated

    def listed(self, mobile: str | None, since: int) -> list[dict[str, Any]]:
        if mobile is None:
            return self.as_json[since:]
        return [self.as_json[i] for i in self.by_mobile.get(mobile, ()) if i >= since]


@dataclass
class GatewayState:
    control: Control = field(default_factory=Control)
    store: MessageStore = field(default_factory=MessageStore)
    calls: int = 0


DEVELOPMENT_ONLY = (
    "Development only: a fake SMS gateway that plays the phones and shows every message it "
    "received, OTPs included. Never expose it or point a real deployment at it."
)


class GatewayConfigError(ValueError):
    """The fake gateway was asked to run in a way only a development override allows."""


def bind_host(host: str | None, allow_non_loopback: bool = False) -> str:
    """The address to bind: loopback only, unless development explicitly overrides it."""
    chosen = host or "127.0.0.1"
    if chosen == "localhost":
        return chosen
    try:
        loopback = ipaddress.ip_address(chosen).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not allow_non_loopback:
        raise GatewayConfigError(
            f"SMS_GATEWAY_HOST={chosen} is not a loopback address: the fake gateway shows "
            "every OTP it received and is for development only (set "
            "SMS_GATEWAY_ALLOW_NON_LOOPBACK=1 to override on a development machine)"
        )
    return chosen


def create_app(
    callback_url: str | None = None,
    callback_token: str | None = None,
    *,
    control_token: str,
) -> FastAPI:
    if not control_token:
        raise GatewayConfigError("the fake gateway needs a control token")
    if callback_url:
        try:
            ReportConnection(callback_url, callback_token or "")
        except ValueError as error:
            raise GatewayConfigError(str(error)) from error
    reports: asyncio.Queue[str] = asyncio.Queue()  # client references, while the app runs

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        senders = (
            [
                asyncio.create_task(send_reports(reports, callback_url, callback_token or ""))
                for _ in range(REPORT_CONNECTIONS)
            ]
            if callback_url
            else []
        )
        yield
        for task in senders:
            task.cancel()
        await asyncio.gather(*senders, return_exceptions=True)

    app = FastAPI(
        title="Fake SMS gateway (development only)", description=__doc__, lifespan=lifespan
    )
    state = GatewayState()
    app.state.gateway = state
    expected = control_token.encode()

    def controller(request: Request) -> None:
        header = request.headers.get("authorization", "")
        given = header.removeprefix("Bearer ") if header.startswith("Bearer ") else ""
        given = given or request.query_params.get("token", "")
        if not hmac.compare_digest(given.encode(), expected):
            raise HTTPException(401, "the fake gateway's control token is required")

    control_only = [Depends(controller)]

    @app.api_route("/api/send", methods=["GET", "POST"])
    async def send(request: Request) -> JSONResponse:
        state.calls += 1
        form: dict[str, Any] = dict(request.query_params)
        if request.method == "POST":
            form.update(await _form(request))
        control = state.control
        if control.latency_seconds:
            await asyncio.sleep(control.latency_seconds)
        if control.fail_count > 0:
            control.fail_count -= 1
            if control.hang_seconds:
                await asyncio.sleep(control.hang_seconds)
            if control.fail_status:
                return JSONResponse({"error": "injected failure"}, status_code=control.fail_status)
        missing = [
            name
            for name in ("mobileno", "content", "senderid", "dlt_template_id")
            if not form.get(name)
        ]
        if missing:
            return JSONResponse({"error": f"missing {', '.join(missing)}"}, status_code=400)
        msgid = str(form.get("msgid") or new_id())
        # a client reference seen before: no second SMS
        if seen := state.store.by_msgid.get(msgid):
            state.store.repeat(seen)
            return JSONResponse({"message_id": seen.message_id, "duplicate": True})
        message = Received(
            message_id=new_id(),
            msgid=msgid,
            mobile=str(form["mobileno"])[-10:],
            content=str(form["content"]),
            senderid=str(form["senderid"]),
            smsservicetype=str(form.get("smsservicetype", "")),
            dlt_entity_id=str(form.get("dlt_entity_id", "")),
            dlt_template_id=str(form["dlt_template_id"]),
            received_at=datetime.now(UTC).isoformat(),
        )
        state.store.add(message)
        if callback_url:
            reports.put_nowait(message.msgid)
        return JSONResponse({"message_id": message.message_id})

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @app.post("/control", dependencies=control_only)
    async def control(body: Control) -> Control:
        state.control = body
        return body

    @app.post("/reset", dependencies=control_only)
    async def reset() -> dict[str, str]:
        state.control, state.store, state.calls = Control(), MessageStore(), 0
        return {"status": "reset"}

    @app.get("/messages", dependencies=control_only)
    async def messages(mobile: str | None = None, since: int = 0) -> JSONResponse:
        listed = state.store.listed(mobile, max(0, since))
        return JSONResponse({"calls": state.calls, "messages": listed})

    @app.get("/", response_class=HTMLResponse, dependencies=control_only)
    async def page() -> str:
        rows = "".join(
            f"<tr><td>{html.escape(m.received_at)}</td><td>{html.escape(m.mobile)}</td>"
            f"<td>{html.escape(m.content)}</td><td>{html.escape(m.dlt_template_id)}</td></tr>"
            for m in reversed(state.store.messages)
        )
        return (
            "<!doctype html><meta charset=utf-8><title>Fake SMS gateway (development only)</title>"
            f"<p><strong>{html.escape(DEVELOPMENT_ONLY)}</strong></p>"
            "<h1>Messages received</h1><table border=1><tr><th>received</th><th>mobile</th>"
            f"<th>text</th><th>DLT template</th></tr>{rows}</table>"
        )

    return app


async def _form(request: Request) -> dict[str, Any]:
    """The posted form; an urlencoded one (what notify sends) parsed from the body at once,
    without the multipart parser's per-field callbacks."""
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
    return dict(await request.form())


def app_from_env() -> FastAPI:
    token = os.environ.get("SMS_GATEWAY_CONTROL_TOKEN")
    if not token:
        raise GatewayConfigError("SMS_GATEWAY_CONTROL_TOKEN is required (no default)")
    return create_app(
        os.environ.get("SMS_GATEWAY_CALLBACK_URL"),
        os.environ.get("SMS_GATEWAY_CALLBACK_TOKEN"),
        control_token=token,
    )
