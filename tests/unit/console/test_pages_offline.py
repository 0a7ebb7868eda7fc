"""The console's own rules, without servers: formats, the certify form's checks, the
server-side session cookie, and every form refusing a POST without the CSRF token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import SecretStr

from console import forms
from console.app import create_app
from console.i18n import TEXTS, ddmmyyyy, indian, parse_ddmmyyyy
from console.sessions import COOKIE
from console.settings import ConsoleSettings


def settings() -> ConsoleSettings:
    return ConsoleSettings(
        oidc_issuer="http://127.0.0.1:9/realms/none",
        client_secret=SecretStr("client-secret"),
        session_secret=SecretStr("session-secret-for-tests"),
        certification_url="http://127.0.0.1:9",
        otp_url="http://127.0.0.1:9",
    )


@pytest.mark.parametrize(
    ("number", "shown"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (120000, "1,20,000"), (12345678, "1,23,45,678")],
)
def test_numbers_use_indian_grouping(number: int, shown: str) -> None:
    assert indian(number) == shown


def test_dates_are_shown_and_read_as_dd_mm_yyyy() -> None:
    assert ddmmyyyy(date(2026, 2, 13)) == "13-02-2026"
    assert ddmmyyyy("2026-02-13T10:00:00Z") == "13-02-2026"
    assert parse_ddmmyyyy("20-02-2026") == date(2026, 2, 20)
    assert parse_ddmmyyyy("2026-02-20") is None


def test_every_text_has_both_languages() -> None:
    assert all(en and hi and en != hi for en, hi in TEXTS.values())


def complete(**values: str) -> forms.CertifyForm:
    given = {
        "office_code": "DDO-1",
        "officer_name": "S. K. Sharma",
        "letter_number": "No. 1/2026",
        "letter_date": "20-02-2026",
        "period_from": "01-04-2015",
        "head_of_account_used": "87 - Honorarium",
        **values,
    }
    return forms.read("ebilling:E1", given, ["non_contractual_head"], list(forms.ATTESTATIONS))


def test_a_complete_certify_form_gives_the_submission() -> None:
    form = complete()
    submission = forms.check(form, ("letter.pdf", b"%PDF-1.4 letter"))
    assert form.errors == {}
    assert submission is not None
    assert submission["letter_date"] == "2026-02-20"
    assert submission["service_details"]["periods"] == [{"from": "2015-04-01", "to": None}]
    assert all(submission["attestations"].values())


def test_each_missing_part_is_named_beside_its_field() -> None:
    form = forms.read(
        "ebilling:E1",
        {"letter_date": "2026-02-20", "corrected_mobile": "12345"},
        ["mobile_changed"],
        ["engaged_in_contractual_mode"],
    )
    assert forms.check(form, ("letter.txt", b"not a pdf")) is None
    assert form.errors == {
        "office_code": "err.required",
        "officer_name": "err.required",
        "letter_number": "err.required",
        "period_from": "err.required",
        "head_of_account_used": "err.required",
        "letter_date": "err.date",
        "corrected_mobile": "err.mobile",
        "attestations": "err.attest",
        "letter": "err.pdf",
    }


def test_the_form_is_prefilled_from_the_data_and_the_gate_reasons() -> None:
    record = {
        "ddo_code": "DDO-9",
        "post_code": "DEO",
        "object_codes": ["69", "87"],
        "service_periods": [{"start": "2016-05-01"}, {"start": "2015-04-01"}],
    }
    decision = {
        "gate": {"reasons": [{"code": "non_contractual_head"}, {"code": "mobile_mismatch"}]}
    }
    form = forms.prefilled("ebilling:E1", record, decision)
    assert form.values["office_code"] == "DDO-9"
    assert form.values["period_from"] == "01-04-2015"
    assert form.values["head_of_account_used"] == "87 - Honorarium"
    assert form.covers == {"non_contractual_head", "mobile_changed"}


def routes(found: list[Any]) -> Iterator[APIRoute]:
    """Every route of the app, through the routers it includes."""
    for route in found:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from routes(route.original_router.routes)


def test_every_form_refuses_a_post_without_the_csrf_token() -> None:
    app = create_app(settings())
    posts = [
        route.path.replace("{employee_id}", "ebilling:E1").replace("{cert_id}", "cert-1")
        for route in routes(app.routes)
        if "POST" in route.methods
    ]
    assert len(posts) >= 7
    with TestClient(app) as client:
        for path in posts:
            response = client.post(path, data={"reason": "x"}, follow_redirects=False)
            assert response.status_code == 403, path
            assert "security token" in response.text
            wrong = client.post(path, data={"csrf_token": "forged"}, follow_redirects=False)
            assert wrong.status_code == 403, path


def test_the_session_cookie_holds_only_a_signed_id_and_is_http_only() -> None:
    app = create_app(settings())
    with TestClient(app) as client:
        response = client.get("/")
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=")
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Secure" not in cookie
        value = client.cookies[COOKIE]
        assert "csrf" not in value
        assert len(value) < 100
        client.cookies.set(COOKIE, value[:-2] + "xx")
        forged = client.get("/")
        assert forged.headers["set-cookie"] != cookie


def test_pages_ask_to_sign_in_and_remember_where_to_come_back() -> None:
    app = create_app(settings())
    with TestClient(app) as client:
        response = client.get("/blocked?reason=non_contractual_head", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/blocked?reason=non_contractual_head"


PUBLIC = {"/", "/login", "/auth/callback", "/signed-out", "/healthz", "/readyz", "/metrics"}


def test_every_page_but_the_public_ones_asks_to_sign_in_first() -> None:
    app = create_app(settings())
    pages = [
        route.path.replace("{employee_id}", "ebilling:E1").replace("{cert_id}", "cert-1")
        for route in routes(app.routes)
        if "GET" in route.methods and route.path not in PUBLIC
    ]
    assert len(pages) >= 10
    with TestClient(app) as client:
        for path in pages:
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303, path
            assert response.headers["location"] == f"/login?next={path}", path


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_idle_session_ends_and_the_page_asks_to_sign_in_again() -> None:
    app = create_app(settings())
    clock = Clock()
    app.state.sessions.clock = clock
    with TestClient(app) as client:
        client.get("/")
        [sid] = app.state.sessions._data
        data = app.state.sessions.load(sid)
        who = {"sub": "s", "name": "N", "role": "ddo", "offices": [], "department": None}
        data["officer"] = who
        data["tokens"] = {"access_token": "a.b.c", "expires_at": 10**12, "obtained_at": 0}
        app.state.sessions.save(sid, data)
        assert client.get("/", follow_redirects=False).headers["location"] == "/blocked"
        clock.now += 30 * 60 + 1
        response = client.get("/certifications?state=effective", follow_redirects=False)
        assert response.headers["location"] == "/login?next=/certifications?state=effective"
        assert sid not in app.state.sessions._data
