"""The fake gateway's delivery reports: `REPORT_CONNECTIONS` senders take accepted messages
from a queue in arrival order, each over one HTTP/1.1 connection kept open (opened again
when the other side has closed it), and post one DELIVRD report per message, as a real
gateway posts them: `POST <callback> {"msgid", "status"}` with `X-Report-Token`.

A few lines of HTTP on an asyncio stream rather than a general client: the stand-in posts
one small JSON body after another to one address, and a general client's work per request
(its pool, its request and response models) was most of what the stand-in cost per SMS,
charged by the bench to the SMS path."""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

REPORT_CONNECTIONS = 4
REPORT_ATTEMPTS = 3
REPORT_TIMEOUT_SECONDS = 5.0


class ReportError(Exception):
    """A report was not answered: the connection is dropped and the report tried again."""


class ReportConnection:
    """One kept-open connection to the report URL; `post` returns the HTTP status."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"SMS_GATEWAY_CALLBACK_URL must be an http:// URL, not {url!r}")
        self.host, self.port = parts.hostname, parts.port or 80
        path = parts.path or "/"
        self.head = (
            f"POST {path}{'?' + parts.query if parts.query else ''} HTTP/1.1\r\n"
            f"Host: {parts.netloc}\r\nX-Report-Token: {token}\r\n"
            "Content-Type: application/json\r\nContent-Length: "
        ).encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> int:
        try:
            async with asyncio.timeout(REPORT_TIMEOUT_SECONDS):
                return await self._post(body)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            self.close()
            raise ReportError(f"delivery report not answered: {error!r}") from error

    async def _post(self, body: bytes) -> int:
        if self.writer is None or self.reader is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(b"%s%d\r\n\r\n%s" % (self.head, len(body), body))
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = dict(
            (name.strip().lower(), value.strip())
            for name, _, value in (line.partition(":") for line in lines if line)
        )
        length = headers.get("content-length")
        if length is None or headers.get("connection", "").lower() == "close":
            self.close()  # no length to read the body by, or the other side closes: reopen
        else:
            await self.reader.readexactly(int(length))
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def report_body(msgid: str) -> bytes:
    return json.dumps({"msgid": msgid, "status": "DELIVRD"}).encode()


async def send_reports(queue: asyncio.Queue[str], url: str, token: str) -> None:
    """Post a report for each client reference taken from `queue`, for as long as it runs
    (a few attempts each; one that still fails is logged and left, as a gateway would)."""
    connection = ReportConnection(url, token)
    try:
        while True:
            msgid = await queue.get()
            body = report_body(msgid)
            for attempt in range(REPORT_ATTEMPTS):
                try:
                    await connection.post(body)
                    break
                except ReportError as error:
                    if attempt + 1 == REPORT_ATTEMPTS:
                        log.warning("a delivery report was given up: %s", error)
                    else:  # at once the first time: the other side closed an idle connection
                        await asyncio.sleep(0.1 * attempt)
    finally:
        connection.close()
