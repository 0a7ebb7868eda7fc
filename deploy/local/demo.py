"""`make demo`: the story of the portal on the running services, figure by figure.

1. generate synthetic HKRNL, e-Billing and master-data files with planted defects;
2. upload them through the ingest API;
3. wait for the OTP service's eligibility view, then print its gates (open, and closed
   per reason) beside what the generator's manifest planted;
4. show a silent failure explained (a changed mobile) and the blocked report per office;
5. submit, HRD-advise and activate a certification for a person paid from a
   non-contractual head; request an OTP for them; read the SMS at the fake gateway; verify.

Every printed figure is read from the services; the manifest is only the yardstick, and a
figure that disagrees with it makes the demo fail. Run it again and it certifies the next
blocked person (effective certifications are subtracted from what the manifest planted).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import officers

import services as local
from certification.domain.model import example_submission
from ingest.generator import DefectMix, generate
from servicekit.pii import mask_family_id, mask_mobile

PARTS = {"hkrnl": "I", "ebilling": "II"}
GATE_REASONS = ("no_record", "mobile_missing", "family_id_missing", "non_contractual_head")


class DemoError(Exception):
    """A figure from the services disagrees with the manifest, or a step went wrong."""


def url(service: str, path: str = "") -> str:
    return f"http://127.0.0.1:{local.port_of(service)}{path}"


class Story:
    """The demo's clients, credentials and generated data."""

    def __init__(self, out: Path, manifest: dict[str, Any]) -> None:
        self.out, self.manifest = out, manifest
        self.secrets = local.dev_secrets()
        self.http = httpx.Client(timeout=120)
        self.officers = officers.DemoOfficers(local.STATE)

    def officer(self, role: str, *offices: str) -> dict[str, str]:
        """An officer of the demo signed in at the local Keycloak (created on first use)."""
        name = "demo-" + "-".join([role.replace("_", "-"), *offices]).lower()
        return self.officers.bearer(self.officers.ensure(name, role, offices))

    def bearer(self, secret_name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secrets[secret_name]}"}

    def call(self, method: str, address: str, expect: int, **kwargs: Any) -> httpx.Response:
        response = self.http.request(method, address, **kwargs)
        if response.status_code != expect:
            raise DemoError(
                f"{method} {address}: expected {expect}, got {response.status_code}: "
                f"{response.text[:300]}"
            )
        return response

    def people(self, *, accepted: bool = True) -> list[dict[str, Any]]:
        return [p for p in self.manifest["people"] if p["accepted"] == accepted]


def check(label: str, got: object, planted: object) -> None:
    mark = "ok" if got == planted else "MISMATCH"
    print(f"  {label:<44} {got!s:>8}   manifest {planted!s:>8}   {mark}")
    if got != planted:
        raise DemoError(f"{label}: the services say {got}, the manifest {planted}")


def wait_for(what: str, probe: Callable[[], bool], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not probe():
        if time.monotonic() > deadline:
            raise DemoError(f"gave up waiting for {what} after {timeout:.0f} s")
        time.sleep(0.5)


# 1-2. generate and ingest -----------------------------------------------------------------


def ingest(story: Story) -> None:
    print("\n== Ingest: the files go through the ingest API")
    for source, token in (
        ("master", "INGEST_MASTER_TOKEN"),
        ("hkrnl", "INGEST_HKRNL_TOKEN"),
        ("ebilling", "INGEST_EBILLING_TOKEN"),
    ):
        path = story.out / story.manifest["files"][source]
        with path.open("rb") as body:
            report = story.call(
                "POST",
                url("ingest", f"/v1/uploads/{source}"),
                200,
                params={"file_name": path.name},
                headers={**story.bearer(token), "Content-Type": "text/csv"},
                content=body,
            ).json()
        expected = story.manifest["expected"][source]
        print(f" {source} ({path.name}), batch {report['batch_id']}:")
        for field in ("received", "accepted", "rejected"):
            check(f"rows {field}", report[field], expected[field])


# 3. the gates -------------------------------------------------------------------------------


def certified(story: Story) -> set[str]:
    """Employees with an effective certification (earlier runs of the demo made them)."""
    found = story.call(
        "GET",
        url("certification", "/v1/certifications"),
        200,
        params={"state": "effective", "limit": 1000},
        headers=story.officer("hrd"),
    ).json()
    return {c["submission"]["employee_id"] for c in found}


def planted_gates(story: Story, lifted: set[str]) -> dict[str, Counter[str]]:
    """Per part, what the manifest promises: views, blocked people, and per reason."""
    expected: dict[str, Counter[str]] = {"I": Counter(), "II": Counter()}
    for person in story.people():
        part = expected[PARTS[person["employee_id"].split(":")[0]]]
        part["total"] += 1
        blocked = part == expected["II"] and "non_contractual" in person["defects"]
        if blocked and person["employee_id"] not in lifted:
            part["blocked"] += 1
            part["non_contractual_head"] += 1
        else:
            part["gate_open"] += 1
    return expected


def readiness(story: Story) -> dict[str, dict[str, Any]]:
    parts = story.call(
        "GET", url("otp", "/v1/reports/readiness"), 200, headers=story.officer("hrd")
    ).json()["parts"]
    return {p["part"]: p for p in parts if p["part"] in ("I", "II")}


def gates(story: Story) -> None:
    lifted = certified(story)
    expected = planted_gates(story, lifted)
    total = sum(e["total"] for e in expected.values())
    print(f"\n== The OTP service's eligibility view (waiting for {total} employees)")
    wait_for(
        "the eligibility view",
        lambda: (
            {p: r["total"] for p, r in readiness(story).items()}
            == {p: e["total"] for p, e in expected.items()}
        ),
    )
    for part, report in sorted(readiness(story).items()):
        planted = expected[part]
        print(f" Part-{part} ({'HKRNL' if part == 'I' else 'T&A e-Billing'}):")
        check("employees in the view", report["total"], planted["total"])
        check("OTP gate open", report["gate_open"], planted["gate_open"])
        check("OTP gate closed", report["blocked"], planted["blocked"])
        for reason in GATE_REASONS:
            got = report["blocked_by_reason"].get(reason, 0)
            check(f"  closed: {reason}", got, planted[reason])
        eligibility = report["eligibility"]
        print(
            "  provisional eligibility (rules, not planted): "
            + ", ".join(f"{k} {v}" for k, v in eligibility.items())
        )
    if lifted:
        print(f" ({len(lifted)} blocked people already certified by earlier runs)")


# 4. why OTPs failed silently ---------------------------------------------------------------


def request_otp(story: Story, family_id: str, mobile: str) -> httpx.Response:
    return story.http.post(
        url("otp", "/v1/otp/requests"),
        json={"family_id": family_id, "mobile": mobile, "locale": "en"},
        headers=story.bearer("OTP_PORTAL_TOKEN"),
    )


def silent_failure(story: Story) -> None:
    person = next(p for p in story.people() if "changed_mobile" in p["defects"])
    print("\n== A silent failure, now explained")
    print(
        f" {person['employee_id']} types their own mobile {mask_mobile(person['true_mobile'])};"
        f" government data holds {mask_mobile(person['record_mobile'])}"
    )
    refused = request_otp(story, person["true_family_id"], person["true_mobile"])
    body = refused.json()
    codes = [r["code"] for r in body.get("reasons", [])]
    print(f"  POST /v1/otp/requests -> {refused.status_code} {codes}")
    if refused.status_code != 409 or codes != ["mobile_mismatch"]:
        raise DemoError(f"expected a 409 mobile_mismatch, got {refused.status_code} {body}")
    print(f"  next step: {body['reasons'][0]['next_step_en']}")


def offices(story: Story, lifted: set[str]) -> None:
    planted = Counter(
        p["ddo_code"]
        for p in story.people()
        if "non_contractual" in p["defects"]
        and p["employee_id"].startswith("ebilling:")
        and p["employee_id"] not in lifted
    )
    report = story.call(
        "GET", url("otp", "/v1/reports/blocked"), 200, headers=story.officer("hrd")
    ).json()
    got = {o["ddo_code"]: o["blocked"] for o in report["offices"] if o["blocked"]}
    print(f"\n== Blocked report per office: {len(got)} DDOs must certify someone")
    for ddo, count in sorted(got.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
        check(f"blocked at {ddo}", count, planted[ddo])
    check("DDOs with someone blocked", len(got), len(planted))
    check("people blocked, all DDOs", sum(got.values()), sum(planted.values()))
    ddo = max(planted, key=lambda d: (planted[d], d))
    print(f"  a DDO's list (masked): {url('otp', f'/v1/reports/blocked.csv?ddo={ddo}')}")


# 5. certification opens the gate ----------------------------------------------------------


def certify(story: Story, person: dict[str, Any]) -> str:
    ddo = person["ddo_code"]
    submission = example_submission(
        person["employee_id"],
        ddo,
        letter_number=f"No. DEMO/{person['employee_id']}/2026-HR",
        officer_name="Demo DDO",
    )
    headers = story.officer("ddo", ddo)
    answers: list[httpx.Response] = []

    def submitted() -> bool:  # 422 until the service has read the person's record
        answer = story.http.post(
            url("certification", "/v1/certifications"),
            data={"submission": json.dumps(submission)},
            headers=headers,
        )
        answers.append(answer)
        return answer.status_code != 422

    wait_for(f"the certification service to know {person['employee_id']}", submitted)
    if answers[-1].status_code != 201:
        raise DemoError(f"certification refused: {answers[-1].text[:300]}")
    created = answers[-1].json()
    department = person.get("department_code")
    if department:  # an HOD of the department, to sign in with (the console, the CLI)
        story.officers.ensure(f"demo-hod-{department}".lower(), "hod", department=department)
    cert = f"/v1/certifications/{created['id']}"
    print(f"  {ddo} submits certification {created['id']}: {created['state']}")
    advice = {"advice_number": "HRD/ADV/2026/DEMO", "advice_date": "2026-02-26"}
    hrd = story.officer("hrd")
    advised = story.call(
        "POST", url("certification", f"{cert}/advice"), 200, json=advice, headers=hrd
    ).json()
    print(f"  HRD records advice {advice['advice_number']}: {advised['state']}")
    effective = story.call(
        "POST", url("certification", f"{cert}/activate"), 200, headers=hrd
    ).json()
    print(f"  HRD activates it: {effective['state']}")
    return str(created["id"])


def sms_for(story: Story, mobile: str, challenge_id: str) -> dict[str, Any] | None:
    messages = story.http.get(url("sms-gateway", "/messages"), params={"mobile": mobile}).json()
    return next((m for m in messages["messages"] if challenge_id in m["msgid"]), None)


def certification_story(story: Story, lifted: set[str]) -> None:
    person = next(
        p
        for p in story.people()
        if "non_contractual" in p["defects"]
        and p["employee_id"].startswith("ebilling:")
        and p["employee_id"] not in lifted
    )
    family_id, mobile = person["true_family_id"], person["true_mobile"]
    print(f"\n== {person['employee_id']} (paid from a non-contractual head) asks for an OTP")
    print(f"  Family ID {mask_family_id(family_id)}, mobile {mask_mobile(mobile)}")
    refused = request_otp(story, family_id, mobile)
    codes = [r["code"] for r in refused.json().get("reasons", [])]
    print(f"  POST /v1/otp/requests -> {refused.status_code} {codes}")
    if codes != ["non_contractual_head"]:
        raise DemoError(f"expected non_contractual_head, got {refused.text[:300]}")
    certify(story, person)

    accepted: list[httpx.Response] = []

    def gate_open() -> bool:
        accepted[:] = [request_otp(story, family_id, mobile)]
        return accepted[0].status_code == 202

    wait_for("the gate to open", gate_open, timeout=60)
    challenge = accepted[0].json()
    print(f"  POST /v1/otp/requests -> 202, challenge {challenge['challenge_id']}")
    found: list[dict[str, Any]] = []
    wait_for(
        "the SMS at the fake gateway",
        lambda: bool(found.append(sms_for(story, mobile, challenge["challenge_id"])) or found[-1]),
        timeout=60,
    )
    sms = found[-1]
    assert sms is not None
    code = re.search(r"\b(\d{6})\b", sms["content"])
    if code is None:
        raise DemoError("the SMS carries no 6-digit code")
    shown = sms["content"].replace(code.group(1), "******")
    print(f"  the fake gateway received, for {mask_mobile(sms['mobile'])}: {shown!r}")
    verified = story.http.post(
        url("otp", "/v1/otp/verifications"),
        json={"challenge_id": challenge["challenge_id"], "code": code.group(1)},
        headers=story.bearer("OTP_PORTAL_TOKEN"),
    )
    print(f"  POST /v1/otp/verifications (code from the SMS) -> {verified.status_code}")
    if verified.status_code != 200:
        raise DemoError(f"verification failed: {verified.text[:300]}")


def urls(story: Story) -> None:
    print("\n== Everything keeps running (stop with `make down`):")
    for name, title in (
        ("ingest", "ingest"),
        ("certification", "certification"),
        ("otp", "OTP"),
        ("notify", "notify"),
    ):
        print(f"  {title:<14} {url(name, '/docs'):<36} metrics {url(name, '/metrics')}")
    print(f"  officers' console       {url('console', '/')}  (sign in as a demo officer)")
    print(f"  fake SMS gateway page   {url('sms-gateway', '/')}")
    print(f"  readiness (HRD JWT)     {url('otp', '/v1/reports/readiness')}")
    print(f"  blocked per office      {url('otp', '/v1/reports/blocked')}  (.csv for the list)")
    print(f"  ingest completeness     {url('ingest', '/v1/reports/completeness')}")
    print("  officers sign in at Keycloak (realm seva, client seva-cli, docs/identity.md):")
    for name, entry in sorted(story.officers.known.items()):
        scope = ", ".join(entry["offices"]) or entry["department"] or "all offices"
        extra = "; TOTP key there too" if entry.get("totp_secret") else ""
        print(f"    {name:<28} {entry['role']:<6} {scope}{extra}")
    print(f"  their passwords are in {story.officers.path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20260213)
    parser.add_argument("--out", type=Path, default=local.STATE / "demo-data")
    args = parser.parse_args(argv)

    print(f"== Generating {args.employees} employees (seed {args.seed}) into {args.out}")
    manifest = generate(args.out, args.employees, args.seed, DefectMix()).to_json()
    planted = Counter(d for p in manifest["people"] for d in p["defects"])
    print("  planted: " + ", ".join(f"{d} {n}" for d, n in sorted(planted.items())))
    story = Story(args.out, manifest)
    try:
        ingest(story)
        lifted = certified(story)
        gates(story)
        silent_failure(story)
        offices(story, lifted)
        certification_story(story, lifted)
    except DemoError as failure:
        print(f"\ndemo failed: {failure}", file=sys.stderr)
        return 1
    urls(story)
    return 0


if __name__ == "__main__":
    sys.exit(main())
