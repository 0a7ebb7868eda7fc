"""The round trips' inbox hands each SMS to the trip waiting for it, whether the SMS came
before or after the trip started to wait, and reads only what is new at the gateway, with
the gateway's control token."""

from __future__ import annotations

import asyncio

import httpx

from bench.roundtrip import Inbox

CONTROL = {"Authorization": "Bearer control-token"}


def gateway(messages: list[dict[str, str]], asked: list[int]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers.get("Authorization") != CONTROL["Authorization"]:
            return httpx.Response(401, json={"detail": "the control token is required"})
        since = int(request.url.params.get("since", "0"))
        asked.append(since)
        return httpx.Response(200, json={"calls": 0, "messages": messages[since:]})

    return httpx.MockTransport(answer)


def test_each_sms_reaches_its_trip_early_or_late() -> None:
    messages = [{"msgid": "ch-early:1", "content": "111111 is your OTP"}]
    asked: list[int] = []

    async def scenario() -> tuple[str, str]:
        inbox = Inbox("http://gateway", CONTROL, since=0)
        async with httpx.AsyncClient(transport=gateway(messages, asked)) as client:
            poller = asyncio.create_task(inbox.poll(client))
            await asyncio.sleep(0.1)  # the early SMS is polled before anyone waits for it
            early = await inbox.sms_for("ch-early")
            late = asyncio.create_task(inbox.sms_for("ch-late"))
            await asyncio.sleep(0.1)
            messages.append({"msgid": "ch-late:1", "content": "222222 is your OTP"})
            got = await asyncio.wait_for(late, 5)
            poller.cancel()
            return early, got

    early, late = asyncio.run(scenario())
    assert early.startswith("111111")
    assert late.startswith("222222")
    # each poll asks only for what came after what the last one read
    assert asked[0] == 0
    assert asked == sorted(asked)
    assert asked[-1] >= 1
