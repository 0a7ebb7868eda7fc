"""The whole path a person takes, for the browser tests: the identity provider (started
by deploy/local/servers.py with the other servers), the certification and OTP services and
the console as real processes on ports of their own (shared Kafka and MongoDB, databases
and consumer groups of their own), officers made for this session, and Debian's Chromium
driven by Playwright. Each page's screenshot goes to the artifacts folder named at the end.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from contracts import topics
from contracts.ingest import EmployeeRecordReceived
from tests.browser.realm import Officer, RealmAdmin
from tests.factories import unique
from tests.factories.otp import person
from tests.helpers import free_port, produce, start_group_at_end

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("SEVA_STATE_DIR", ROOT / ".local"))
ARTIFACTS = Path(os.environ.get("SEVA_ARTIFACTS_DIR", ROOT / ".local" / "artifacts")) / "browser"
DOCS_SHOTS = ROOT / "docs" / "console"
CHROMIUM = os.environ.get("SEVA_CHROMIUM", "/usr/bin/chromium")


@dataclass
class Services:
    env: dict[str, str]
    ports: dict[str, int]
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, name: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def start(self, name: str, module: str) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", module],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
        )

    def wait(self, name: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.processes[name].poll() is not None:
                raise AssertionError(f"{name} exited; read {self.logs / (name + '.log')}")
            try:
                if httpx.get(self.url(name, "/healthz"), timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} did not answer; read {self.logs / (name + '.log')}")
            time.sleep(0.3)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@dataclass
class World:
    """What the tests share: the services, the officers, the people in the data."""

    services: Services
    ddo: Officer
    hrd: Officer
    office: str
    other_office: str
    department: str
    people: dict[str, EmployeeRecordReceived]
    shots: Path
    issuer: str
    state: dict[str, Any] = field(default_factory=dict)

    def ddo_token(self) -> str:
        """The DDO's own access token, as the command-line client signs in (password grant)."""
        answer = httpx.post(
            f"{self.issuer}/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "seva-cli",
                "username": self.ddo.username,
                "password": self.ddo.password,
                "scope": "openid",
            },
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    def console(self, path: str = "") -> str:
        return self.services.url("console", path)

    def shot(self, page: Page, name: str) -> None:
        """The page's screenshot, full length, into the artifacts folder (and the docs)."""
        path = self.shots / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if os.environ.get("SEVA_DOCS_SCREENSHOTS") == "1":
            DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, DOCS_SHOTS / path.name)


OTP_INPUTS = (topics.EMPLOYEE_RECORDS, topics.CERTIFICATIONS, topics.MASTER_DATA, topics.SMS_STATUS)


def _groups(env: dict[str, str]) -> list[tuple[str, str]]:
    """The consumer groups of this session's services, to be started at the topics' end."""
    otp, cert = env["OTP_CONSUMER_GROUP"], env["CERTIFICATION_CONSUMER_GROUP"]
    return [
        *((f"{otp}.{t}", t) for t in OTP_INPUTS),
        (cert, topics.EMPLOYEE_RECORDS),
        (cert, topics.MASTER_DATA),
        *((f"{cert}.{t}", t) for t in (topics.EMPLOYEE_RECORDS, topics.MASTER_DATA)),
    ]


def _run(work: Coroutine[Any, Any, None]) -> None:
    """Run Kafka set-up on a loop of its own, leaving the test session's loop alone."""
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(work)
    finally:
        loop.close()


async def _start_groups_at_end(bootstrap: str, groups: list[tuple[str, str]]) -> None:
    for group, topic in groups:
        await start_group_at_end(bootstrap, group, topic)


async def _publish(bootstrap: str, records: list[EmployeeRecordReceived]) -> None:
    for record in records:
        await produce(
            bootstrap,
            topics.EMPLOYEE_RECORDS,
            record.model_dump_json().encode(),
            record.partition_key.encode(),
        )


@pytest.fixture(scope="module")
def world(servers: dict[str, str], oidc_issuer: str) -> Iterator[World]:
    issuer = oidc_issuer
    admin = RealmAdmin(issuer.split("/realms/")[0], STATE)
    run = unique("browser")
    logs = STATE / "logs" / run
    logs.mkdir(parents=True, exist_ok=True)
    ports = {name: free_port() for name in ("certification", "otp", "console")}
    console_url = f"http://127.0.0.1:{ports['console']}"
    client_id, client_secret = admin.console_client(console_url)
    office, other_office, department = unique("DDO-A"), unique("DDO-B"), unique("DEPT")
    ddo = admin.officer("ddo", offices=[office])
    hrd = admin.officer("hrd", totp=True)
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": servers["kafka"],
        "MONGODB_URI": servers["mongodb"],
        "SEVA_OIDC_ISSUER": issuer,
        "CERTIFICATION_HTTP_PORT": str(ports["certification"]),
        "CERTIFICATION_MONGODB_DATABASE": unique("cert"),
        "CERTIFICATION_CONSUMER_GROUP": unique("cert"),
        "OTP_HTTP_PORT": str(ports["otp"]),
        "OTP_MONGODB_DATABASE": unique("otp"),
        "OTP_CONSUMER_GROUP": unique("otp"),
        "OTP_HMAC_KEY": "hmac-key-of-the-browser-tests",
        "OTP_PORTAL_TOKEN": "portal-token-of-the-browser-tests",
        "SEVA_SMS_SEAL_KEY": Fernet.generate_key().decode(),
        "SEVA_OFFICER_JWT_SECRET": "officer-secret-of-the-browser-tests-0123456789",
        "CONSOLE_HTTP_PORT": str(ports["console"]),
        "CONSOLE_PUBLIC_URL": console_url,
        "CONSOLE_CLIENT_ID": client_id,
        "CONSOLE_CLIENT_SECRET": client_secret,
        "CONSOLE_SESSION_SECRET": unique("session-secret"),
        "CONSOLE_CERTIFICATION_URL": f"http://127.0.0.1:{ports['certification']}",
        "CONSOLE_OTP_URL": f"http://127.0.0.1:{ports['otp']}",
    }
    at = {"department_code": department, "ddo_code": office}
    people = {
        "head": person(**at, object_codes=("87",), name="Sunita Devi"),
        "second": person(**at, object_codes=("02",), name="Ram Kumar"),
        "third": person(**at, object_codes=("87",), name="Asha Rani"),
        "elsewhere": person(
            department_code=department, ddo_code=other_office, object_codes=("87",)
        ),
    }
    _run(_start_groups_at_end(servers["kafka"], _groups(env)))
    services = Services(env, ports, logs)
    try:
        services.start("certification", "certification")
        services.start("otp", "otp")
        services.start("console", "console")
        for name in ("certification", "otp", "console"):
            services.wait(name)
        _run(_publish(servers["kafka"], list(people.values())))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        yield World(services, ddo, hrd, office, other_office, department, people, ARTIFACTS, issuer)
    finally:
        services.stop()
        for officer in (ddo, hrd):
            admin.remove(officer.username)
        admin.remove_client(client_id)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


def _context(browser: Browser) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-IN"
    )
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def ddo_page(browser: Browser) -> Iterator[Page]:
    """The DDO's browser, one for all the tests."""
    yield from _context(browser)


@pytest.fixture(scope="module")
def hrd_page(browser: Browser) -> Iterator[Page]:
    """HRD's browser, one for all the tests."""
    yield from _context(browser)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if ARTIFACTS.exists() and any(ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")
