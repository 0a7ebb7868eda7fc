"""The SMS gateway is away for three minutes during a burst of OTP requests: every request
accepted meanwhile gets exactly one SMS once it returns (before its code expires), none is
dead-lettered, and SmsGatewayDown fires and resolves in a promtool test built from the
metrics notify exported during the run. The run also measures the once-only window: how
long after the gateway took a message notify had recorded it as sent (a crash inside that
window would make the next process send it again through a gateway that does not
deduplicate on msgid)."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fault.helpers import Generated, request
from tests.integration.ops.scraped import input_series, rule, run_promtool_test
from tests.stack import Stack, wait_until

pytestmark = pytest.mark.timeout(1800)
OUTAGE_SECONDS, SCRAPE_SECONDS = 180, 5


class Scraper(threading.Thread):
    """notify's /metrics every SCRAPE_SECONDS, as Prometheus would."""

    def __init__(self, stack: Stack) -> None:
        super().__init__(daemon=True)
        self.stack, self.pages, self.stopped = stack, list[str](), threading.Event()

    def run(self) -> None:
        due = time.monotonic()
        while not self.stopped.is_set():
            try:
                page = httpx.get(self.stack.url("notify", "/metrics"), timeout=4).text
            except httpx.TransportError:
                page = ""
            self.pages.append(page)
            due += SCRAPE_SECONDS
            self.stopped.wait(max(0.0, due - time.monotonic()))


class Burst(threading.Thread):
    """Portal requests, a few a second, each recorded with when it was answered."""

    def __init__(self, stack: Stack, people: list[dict[str, Any]]) -> None:
        super().__init__(daemon=True)
        self.stack, self.people, self.stopped = stack, iter(people), threading.Event()
        self.accepted: list[tuple[float, str]] = []

    def run(self) -> None:
        while not self.stopped.is_set():
            person = next(self.people, None)
            if person is None:
                return
            status, challenge = request(self.stack, person)
            if status == 202 and challenge:
                self.accepted.append((time.monotonic(), challenge))
            self.stopped.wait(0.25)


def _dead_letters(page: str) -> float:
    found = re.findall(r'seva_dead_letters_total\{[^}]*service="notify"[^}]*\} (\S+)', page)
    return sum(float(value) for value in found)


def test_sms_accepted_during_a_gateway_outage_go_out_once_when_it_returns(
    stack: Stack, ingested: Generated, db: Any, tmp_path: Path
) -> None:
    scraper, burst = Scraper(stack), Burst(stack, ingested.ready_people()[2600:5600])
    scraper.start()
    burst.start()
    wait_until("requests accepted before the outage", lambda: len(burst.accepted) >= 20)
    stack.services("down", "sms-gateway")
    down_at, down_scrape = time.monotonic(), len(scraper.pages)
    time.sleep(OUTAGE_SECONDS)
    stack.services("up", "sms-gateway")  # a fresh gateway: it has received nothing yet
    up_at, up_scrape = time.monotonic(), len(scraper.pages)
    time.sleep(20)
    burst.stopped.set()
    burst.join()

    away = [c for at, c in burst.accepted if down_at < at < up_at]
    assert len(away) >= 100, f"only {len(away)} requests accepted during the outage"

    def received() -> dict[str, dict[str, Any]]:
        return {m["msgid"].split(":")[0]: m for m in stack.sms()}

    got = wait_until(
        "an SMS for every request accepted during the outage",
        lambda: (r := received()) and all(c in r for c in away) and r,
        300,
    )
    assert {c: got[c]["repeated"] for c in away if got[c]["repeated"]} == {}
    # each within its code's life (600 s from acceptance; the outage was 180 s)
    last = max(datetime.fromisoformat(got[c]["received_at"]) for c in away)
    first = min(datetime.fromisoformat(got[c]["received_at"]) for c in away)
    assert (last - first).total_seconds() < 600 - OUTAGE_SECONDS

    sends = db["seva_notify"]["sends"]
    keys = [f"{c}:1" for c in away]
    assert sends.count_documents({"_id": {"$in": keys}, "state": {"$ne": "sent"}}) == 0
    # the once-only window: gateway took it -> notify recorded it as sent
    windows = sorted(
        (
            doc["finished_at"]
            - datetime.fromisoformat(got[doc["challenge_id"]]["received_at"]).replace(tzinfo=None)
        ).total_seconds()
        for doc in sends.find({"_id": {"$in": keys}})
    )
    p99 = windows[int(len(windows) * 0.99) - 1]
    print(
        f"once-only window over {len(windows)} sends: p50 {windows[len(windows) // 2]:.3f} s,"
        f" p99 {p99:.3f} s, max {windows[-1]:.3f} s"
    )
    assert windows[-1] < 5.0

    # a while after the return: retries have gone out and the alert can resolve
    wait_until("a minute and a half after the return", lambda: time.monotonic() > up_at + 90, 120)
    scraper.stopped.set()
    scraper.join()
    assert _dead_letters(scraper.pages[-1]) == 0

    alert = rule("SmsGatewayDown")
    annotations = {
        key: text.replace("{{ $labels.gateway }}", "primary")
        for key, text in alert["annotations"].items()
    }
    step = SCRAPE_SECONDS
    firing_at = (down_scrape + 150 // step) * step  # 2.5 min into the 3 min outage
    resolved_at = (len(scraper.pages) - 1) * step
    assert firing_at < up_scrape * step < resolved_at
    series = input_series(scraper.pages, ["notify_gateway_requests_total"])
    result = run_promtool_test(
        tmp_path,
        series,
        f"{step}s",
        alert_tests=[
            {
                "eval_time": f"{max(0, down_scrape - 1) * step}s",
                "alertname": "SmsGatewayDown",
                "exp_alerts": [],
            },
            {
                "eval_time": f"{firing_at}s",
                "alertname": "SmsGatewayDown",
                "exp_alerts": [
                    {
                        "exp_labels": {"severity": "critical", "gateway": "primary"},
                        "exp_annotations": annotations,
                    }
                ],
            },
            {"eval_time": f"{resolved_at}s", "alertname": "SmsGatewayDown", "exp_alerts": []},
        ],
    )
    assert result.returncode == 0, result.stdout + result.stderr
