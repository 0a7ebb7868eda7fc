"""How the console talks to the APIs: the officer's own token on every call, the next page's
cursor from the listing's header, and HRD's advice and activation as one bulk call each."""

from __future__ import annotations

import json
from datetime import date

import httpx

from console.clients import Apis


def apis(handler: httpx.MockTransport) -> Apis:
    return Apis(
        certification=httpx.AsyncClient(transport=handler, base_url="http://cert"),
        otp=httpx.AsyncClient(transport=handler, base_url="http://otp"),
    )


async def test_a_listing_sends_the_officers_token_and_reads_the_next_cursor() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"id": "cert-1"}], headers={"X-Next-Cursor": "abc"})

    page = await apis(httpx.MockTransport(answer)).certifications(
        "officer-token", state="submitted", office=None, cursor="xyz"
    )
    assert page.items == [{"id": "cert-1"}]
    assert page.next_cursor == "abc"
    assert seen[0].headers["Authorization"] == "Bearer officer-token"
    assert dict(seen[0].url.params) == {"state": "submitted", "cursor": "xyz"}


async def test_advice_and_activation_are_one_bulk_call_each_with_an_answer_per_id() -> None:
    calls: list[tuple[str, dict[str, object]]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append((request.url.path, body))
        if request.url.path.endswith("/advice"):
            results = [
                {"id": "a", "done": True},
                {"id": "b", "done": False, "message": "state is effective"},
                {"id": "c", "done": True},
            ]
        else:
            results = [{"id": i, "done": True} for i in body["ids"]]
        return httpx.Response(200, json={"done": 0, "refused": 0, "results": results})

    outcomes = await apis(httpx.MockTransport(answer)).advise_and_activate(
        "hrd-token", ["a", "b", "c"], "HRD/ADV/1", date(2026, 2, 26)
    )
    assert [(o.id, o.ok) for o in outcomes] == [("a", True), ("b", False), ("c", True)]
    assert outcomes[1].message == "state is effective"
    assert calls == [
        (
            "/v1/certifications/bulk/advice",
            {"ids": ["a", "b", "c"], "advice_number": "HRD/ADV/1", "advice_date": "2026-02-26"},
        ),
        ("/v1/certifications/bulk/activate", {"ids": ["a", "c"]}),
    ]
