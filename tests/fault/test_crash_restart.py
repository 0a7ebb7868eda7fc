"""kill -9 in the middle of the work, then restart: nothing accepted is lost and nothing is
done twice. A 20,000-record ingest converges to exactly the documents the files describe;
every OTP request answered 202 gets exactly one SMS."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.fault.helpers import Generated, assert_one_sms_per_challenge, published, request, upload
from tests.stack import Stack, wait_until

# A whole system started, crashed and healed: more than the suite's default 300 s.
pytestmark = pytest.mark.timeout(900)


def test_kill_9_of_ingest_and_otp_mid_ingest_converges_to_exactly_the_files(
    stack: Stack, generated: Generated, db: Any
) -> None:
    views = db["seva_otp"]["views"]
    reports: dict[str, dict[str, Any]] = {}

    def send_all() -> None:
        for source in ("master", "hkrnl", "ebilling"):
            reports[source] = upload(stack, generated, source)

    sender = threading.Thread(target=send_all)
    sender.start()
    wait_until("the OTP view to fill", lambda: views.estimated_document_count() > 3000, 300)
    stack.kill("otp")
    stack.services("up", "otp")
    wait_until("e-Billing records to flow", lambda: published(stack, "ebilling") > 2000, 300)
    stack.kill("ingest")
    stack.services("up", "ingest")
    sender.join(timeout=900)

    expected = generated.accepted()
    for source in ("hkrnl", "ebilling"):
        planted = generated.manifest["expected"][source]
        got = reports[source]
        assert (got["received"], got["accepted"], got["rejected"]) == (
            planted["received"],
            planted["accepted"],
            planted["rejected"],
        )
    wait_until(
        "the view to hold every employee",
        lambda: views.count_documents({}) >= len(expected),
        600,
    )
    held = {v["_id"]: v for v in views.find({}, {"mobile": 1, "family_id": 1, "decision": 1})}
    assert set(held) == set(expected)
    in_hkrnl = {p["person"] for e, p in expected.items() if e.startswith("hkrnl:")}
    for employee_id, person in expected.items():
        view = held[employee_id]
        assert (view["mobile"], view["family_id"]) == (
            person["record_mobile"],
            person["record_family_id"],
        ), employee_id
        # one person, one decision: an accepted HKRNL twin opens their e-Billing record's gate
        blocked = (
            employee_id.startswith("ebilling:")
            and "non_contractual" in person["defects"]
            and person["person"] not in in_hkrnl
        )
        reasons = [r["code"] for r in view["decision"]["gate"]["reasons"]]
        assert reasons == (["non_contractual_head"] if blocked else []), employee_id


def test_kill_9_of_notify_and_otp_mid_burst_loses_no_accepted_request_and_sends_no_sms_twice(
    stack: Stack, ingested: Generated
) -> None:
    people = ingested.ready_people()[:400]
    answers: list[tuple[int, str | None]] = []

    def chaos() -> None:
        wait_until("a quarter of the burst", lambda: len(answers) >= 100, 300, 0.05)
        stack.kill("notify")
        wait_until("half of the burst", lambda: len(answers) >= 200, 300, 0.05)
        stack.kill("otp")
        stack.services("up", "notify", "otp")

    killer = threading.Thread(target=chaos)
    killer.start()
    with ThreadPoolExecutor(max_workers=16) as pool:
        for answer in pool.map(lambda p: request(stack, p), people):
            answers.append(answer)
    killer.join()

    accepted = [challenge for status, challenge in answers if challenge]
    assert len(accepted) >= 200  # the burst went on around the crashes
    assert_one_sms_per_challenge(stack, accepted)
