"""kill -9 in the middle of the work, then restart: nothing accepted is lost and nothing is
done twice. A 20,000-record ingest converges to exactly the documents the files describe;
every OTP request answered 202 gets exactly one SMS."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.fault.conftest import Generated
from tests.stack import Stack, wait_until

AS_OF = "2026-02-01T00:00:00+05:30"
TOKENS = {"master": "INGEST_MASTER_TOKEN", "hkrnl": "INGEST_HKRNL_TOKEN"}
TOKENS["ebilling"] = "INGEST_EBILLING_TOKEN"


def upload(stack: Stack, generated: Generated, source: str) -> dict[str, Any]:
    """Send a file as a client would: when the service dies under the request, wait for it
    to come back and send the same file again."""
    path = generated.path(source)
    for _ in range(5):
        try:
            with path.open("rb") as body:
                response = httpx.post(
                    stack.url("ingest", f"/v1/uploads/{source}"),
                    params={"as_of": AS_OF, "file_name": path.name},
                    headers={**stack.bearer(TOKENS[source]), "Content-Type": "text/csv"},
                    content=body,
                    timeout=600,
                )
            if response.status_code == 200:
                report: dict[str, Any] = response.json()
                return report
        except httpx.TransportError:
            pass
        wait_until("ingest to answer again", lambda: stack.ready("ingest")[0] == 200)
    raise AssertionError(f"{source} upload never completed")


def published(stack: Stack, source: str) -> float:
    """ingest_records_published_total{source} from the service's /metrics (0 if away)."""
    try:
        text = httpx.get(stack.url("ingest", "/metrics"), timeout=2).text
    except httpx.TransportError:
        return 0.0
    found = re.search(rf'ingest_records_published_total{{source="{source}"}} (\S+)', text)
    return float(found.group(1)) if found else 0.0


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
    for employee_id, person in expected.items():
        view = held[employee_id]
        assert (view["mobile"], view["family_id"]) == (
            person["record_mobile"],
            person["record_family_id"],
        ), employee_id
        blocked = employee_id.startswith("ebilling:") and "non_contractual" in person["defects"]
        reasons = [r["code"] for r in view["decision"]["gate"]["reasons"]]
        assert reasons == (["non_contractual_head"] if blocked else []), employee_id


def request(stack: Stack, person: dict[str, Any]) -> tuple[int, str | None]:
    """One portal request: (status, challenge id when accepted); 0 when no answer came."""
    try:
        response = httpx.post(
            stack.url("otp", "/v1/otp/requests"),
            json={"family_id": person["record_family_id"], "mobile": person["record_mobile"]},
            headers=stack.bearer("OTP_PORTAL_TOKEN"),
            timeout=60,
        )
    except httpx.TransportError:
        return 0, None
    accepted = response.status_code == 202
    return response.status_code, response.json()["challenge_id"] if accepted else None


def assert_one_sms_per_challenge(stack: Stack, challenges: list[str]) -> None:
    """Every accepted challenge reaches the gateway, and exactly once."""

    def per_challenge() -> dict[str, int]:
        counts = dict.fromkeys(challenges, 0)
        for message in stack.sms():
            challenge = message["msgid"].split(":")[0]
            if challenge in counts:
                counts[challenge] += 1
        return counts

    wait_until("an SMS for every accepted challenge", lambda: all(per_challenge().values()), 300)
    assert {c: n for c, n in per_challenge().items() if n != 1} == {}


def test_kill_9_of_notify_and_otp_mid_burst_loses_no_accepted_request_and_sends_no_sms_twice(
    stack: Stack, generated: Generated, db: Any
) -> None:
    people = generated.ready_people()[:400]
    wait_until(
        "the view to hold the burst's people",
        lambda: (
            db["seva_otp"]["views"].count_documents(
                {"_id": {"$in": [p["employee_id"] for p in people]}}
            )
            == len(people)
        ),
        600,
    )
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
