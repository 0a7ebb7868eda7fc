"""Officers using the console in Chromium, on the real services, Kafka, MongoDB and
identity provider. Read as a person reads the page: by labels, roles and words.

The tests run in order and share two browsers, the DDO's and HRD's (one sign-in each)."""

from __future__ import annotations

import re
import secrets
import time
from datetime import date

import httpx
from playwright.sync_api import Page, expect

from servicekit.pii import mask_mobile
from tests.browser.conftest import World
from tests.browser.realm import Officer
from tests.factories.certification import PDF

TODAY = date.today().strftime("%d-%m-%Y")


def sign_in(page: Page, officer: Officer) -> None:
    """On the identity provider's own login page (and its one-time-code page for HRD)."""
    expect(page.locator("#kc-login")).to_be_visible()
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password", exact=True).fill(officer.password)
    page.locator("#kc-login").click()
    if officer.totp_secret is not None:
        page.get_by_label(re.compile("One-time code", re.I)).fill(officer.code())
        page.locator("#kc-login").click()


def wait_for_gate(world: World, page: Page, employee_id: str) -> None:
    deadline = time.monotonic() + 60
    page.goto(world.console(f"/people/{employee_id}"))
    while page.get_by_text("OTP gate: open").count() == 0:
        assert time.monotonic() < deadline, "the gate did not open within 60 s"
        time.sleep(1)
        page.reload()


def visible_in_console(world: World, page: Page, employee_id: str) -> None:
    """The OTP service has applied the records published at the start."""
    deadline = time.monotonic() + 60
    while True:
        page.goto(world.console("/blocked?reason=non_contractual_head"))
        if page.get_by_role("link", name=employee_id, exact=True).count():
            return
        assert time.monotonic() < deadline, f"{employee_id} not listed within 60 s"
        time.sleep(1)


def test_a_ddo_signs_in_on_the_providers_page_and_finds_a_person_blocked_for_the_head(
    world: World, ddo_page: Page
) -> None:
    page = ddo_page
    page.goto(world.console("/blocked?reason=non_contractual_head"))
    sign_in(page, world.ddo)
    expect(page).to_have_url(re.compile(r"/blocked\?reason=non_contractual_head$"))
    head = world.people["head"]
    visible_in_console(world, page, head.employee_id)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=head.employee_id))
    expect(row).to_contain_text("S. D.")
    expect(row).to_contain_text("not drawn from the contractual head of account")
    expect(row).to_contain_text("ask your DDO for a certification")
    assert head.mobile is not None
    expect(row).not_to_contain_text(head.mobile)
    world.shot(page, "blocked")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert head.employee_id in download.value.path().read_text()

    page.get_by_role("link", name=head.employee_id, exact=True).click()
    expect(page.get_by_text("OTP gate: closed")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Person: {head.employee_id}")).to_be_visible()
    world.shot(page, "person")


def test_the_ddo_certifies_the_person_with_a_pdf_letter_and_sees_it_pending(
    world: World, ddo_page: Page
) -> None:
    page = ddo_page
    head = world.people["head"]
    page.goto(world.console(f"/people/{head.employee_id}/certify"))
    expect(page.get_by_label("Office (DDO) code")).to_have_value(world.office)
    expect(page.get_by_label("Pay drawn from a non-contractual head")).to_be_checked()
    expect(page.get_by_label("Head of account used")).to_have_value("87 - Honorarium")
    page.get_by_role("button", name="Submit the certification").click()
    expect(page.get_by_text("Every statement must be certified.")).to_be_visible()
    expect(page.get_by_label("Letter number")).to_have_attribute("aria-invalid", "true")
    world.shot(page, "certify-errors")

    page.get_by_label(re.compile("genuine contractual employee")).check()
    page.get_by_label(re.compile("engaged in contractual mode")).check()
    page.get_by_label(re.compile("paid under a head other than")).check()
    page.get_by_label("Letter number").fill(f"No. 6/74/2026-HR/{head.employee_id}")
    page.get_by_label("Letter date (dd-mm-yyyy)").fill(TODAY)
    page.get_by_label("Signed letter (PDF)").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    world.shot(page, "certify")
    page.get_by_role("button", name="Submit the certification").click()
    expect(page.get_by_text("Certification submitted; it waits for HRD advice.")).to_be_visible()
    expect(page.get_by_text("Pending HRD advice").first).to_be_visible()
    world.state["certified"] = page.url.split("/certifications/")[1].split("?")[0]
    world.shot(page, "certification")

    page.get_by_role("link", name="My certifications").click()
    row = page.get_by_role("row").filter(has_text=head.employee_id)
    expect(row).to_contain_text("Pending HRD advice")
    world.shot(page, "certifications")


def test_a_form_posted_without_the_csrf_token_is_refused(world: World, ddo_page: Page) -> None:
    page = ddo_page
    page.goto(world.console(f"/certifications/{world.state['certified']}"))
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    page.get_by_label("Reason for revoking").fill("posted without its token")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Revoke").click()
    assert answer.value.status == 403
    expect(page.get_by_text("did not carry this page's security token")).to_be_visible()
    world.shot(page, "csrf-refused")
    page.goto(world.console(f"/certifications/{world.state['certified']}"))
    expect(page.get_by_text("Pending HRD advice").first).to_be_visible()


def test_a_ddo_is_refused_the_certify_page_of_another_offices_employee(
    world: World, ddo_page: Page
) -> None:
    page = ddo_page
    elsewhere = world.people["elsewhere"]
    answer = page.goto(world.console(f"/people/{elsewhere.employee_id}/certify"))
    assert answer is not None
    assert answer.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("not in your offices")
    world.shot(page, "refused")


def submit_by_api(world: World, name: str, mobile: str | None = None) -> None:
    """Two more certifications of the same office, as the DDO's own client would send."""
    from tests.factories.certification import form, submission

    record = world.people[name]
    token = world.state.get("ddo_token") or world.ddo_token()
    world.state["ddo_token"] = token
    body = submission(
        world.office,
        employee_id=record.employee_id,
        covers=["non_contractual_head", "mobile_changed"] if mobile else ["non_contractual_head"],
        corrected_mobile=mobile,
    )
    answer = httpx.post(
        world.services.url("certification", "/v1/certifications"),
        data=form(body),
        files={"letter": ("letter.pdf", PDF, "application/pdf")},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text


def test_hrd_signs_in_with_a_one_time_code_and_activates_three_in_one_action(
    world: World, hrd_page: Page
) -> None:
    new_mobile = f"9{secrets.randbelow(10**9):09d}"
    submit_by_api(world, "second")
    submit_by_api(world, "third", mobile=new_mobile)
    page = hrd_page
    page.goto(world.console(f"/queue?office={world.office}"))
    sign_in(page, world.hrd)
    expect(page.get_by_role("heading", name="Waiting for advice")).to_be_visible()
    third = world.people["third"]
    assert third.mobile is not None
    row = page.get_by_role("row").filter(has_text=third.employee_id)
    expect(row).to_contain_text(f"{mask_mobile(third.mobile)} → {mask_mobile(new_mobile)}")
    expect(row).not_to_contain_text(new_mobile)
    for name in ("head", "second", "third"):
        page.get_by_label(f"Select {world.people[name].employee_id}").check()
    page.get_by_label("Advice number").fill("HRD/ADV/2026/31")
    page.get_by_label("Advice date (dd-mm-yyyy)").fill(TODAY)
    world.shot(page, "queue")
    with page.expect_popup() as letter:
        page.get_by_role("link", name=re.compile("^Letter ")).first.click()
    expect(letter.value).to_have_url(re.compile(r"/letter$"))
    letter.value.close()

    page.get_by_role("button", name="Advise and activate the selected").click()
    expect(page.get_by_role("alert")).to_contain_text("Advise and activate 3 certifications")
    world.shot(page, "confirm")
    page.get_by_role("button", name="Yes, advise and activate 3").click()
    expect(page.get_by_text("3 of 3 activated.")).to_be_visible()
    world.shot(page, "decided")

    page.get_by_role("link", name="Portal readiness").click()
    expect(page.get_by_role("table")).to_contain_text("Part-II (direct contract)")
    world.shot(page, "readiness")
    page.get_by_role("link", name="Audit chain").click()
    expect(page.get_by_text(re.compile(r"^Verified: all [\d,]+ entries"))).to_be_visible()
    world.shot(page, "audit")


def test_the_ddo_then_sees_the_persons_gate_open(world: World, ddo_page: Page) -> None:
    wait_for_gate(world, ddo_page, world.people["head"].employee_id)
    expect(ddo_page.get_by_text("Effective").first).to_be_visible()
    world.shot(ddo_page, "person-open")


def test_every_page_reads_in_hindi(world: World, ddo_page: Page, hrd_page: Page) -> None:
    head = world.people["head"].employee_id
    for page, pages in (
        (
            ddo_page,
            {
                "blocked": ("/blocked", "अवरुद्ध व्यक्ति"),
                "person": (f"/people/{head}", "ओटीपी द्वार: खुला"),
                "certify": (
                    f"/people/{world.people['elsewhere'].employee_id}/certify",
                    "अनुमति नहीं",
                ),
                "certifications": ("/certifications", "मेरे प्रमाण पत्र"),
                "certification": (f"/certifications/{world.state['certified']}", "प्रभावी"),
            },
        ),
        (
            hrd_page,
            {
                "queue": ("/queue", "सलाह हेतु प्रतीक्षारत"),
                "readiness": ("/readiness", "पोर्टल तैयारी"),
                "audit": ("/audit", "सत्यापित"),
            },
        ),
    ):
        page.goto(world.console("/"))
        page.get_by_label("Language").select_option("hi")
        page.get_by_role("button", name="Switch").click()
        expect(page.locator("html")).to_have_attribute("lang", "hi")
        for name, (path, words) in pages.items():
            page.goto(world.console(path))
            expect(page.get_by_text(words).first).to_be_visible()
            world.shot(page, f"{name}-hi")
    ddo_page.goto(world.console(f"/people/{head}/certify"))
    expect(ddo_page.get_by_label("पत्र संख्या")).to_be_visible()
    world.shot(ddo_page, "certify-form-hi")


def test_signing_out_ends_the_session_here_and_at_the_provider(
    world: World, ddo_page: Page
) -> None:
    page = ddo_page
    page.goto(world.console("/certifications"))
    page.get_by_role("button", name=re.compile("Sign out|साइन आउट")).click()
    expect(page.get_by_role("status")).to_be_visible()
    page.goto(world.console("/certifications?state=effective"))
    sign_in(page, world.ddo)  # the provider asks again: its session ended too
    expect(page).to_have_url(re.compile(r"/certifications\?state=effective$"))
