"""`make demo`: the story of the portal on the running services, figure by figure.

1. generate synthetic HKRNL, e-Billing and master-data files with planted defects;
2. upload them through the ingest API;
3. wait for the OTP service's eligibility view (one person per linked pair of records),
   then print its gates (open, and closed per reason) beside what the manifest planted;
4. make the portal requests of every person with a changed mobile or a wrong Family ID
   (each is refused, and the refusal is kept on them), show a silent failure explained and
   the blocked report per office: the refused people are on their DDO's list;
5. submit, HRD-advise and activate a certification for a person paid from a
   non-contractual head; request an OTP for them; read the SMS at the fake gateway; verify.

Every printed figure is read from the services; the manifest is only the yardstick, and a
figure that disagrees with it makes the demo fail. Run it again and it certifies the next
blocked person (effective certifications are subtracted from what the manifest planted).

On a stack that already holds other data (a user's own uploads, or another run's people)
the demo says so in one line, counts its own persons one by one, and shows the whole-stack
figures without checking them (demo_views.py, demo_checks.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import demo_planted as yardstick
import httpx
from demo_checks import DemoError, check, wait_for
from demo_story import Story, request_otp, url
from demo_views import certified, gates, offices, used_stack, view_totals, wait_for_views

import services as local
from certification.domain.model import example_submission
from ingest.generator import DefectMix, generate
from servicekit.pii import mask_family_id, mask_mobile

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


# 3-4. the view, the portal's refusals, why OTPs failed silently (the view: demo_views.py) --


def silent_failure(story: Story) -> None:
    person = next(p for p in story.own() if "changed_mobile" in p["defects"])
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


def portal_refusals(story: Story) -> None:
    """The portal requests of everyone whose mobile or Family ID differs from the records:
    each is refused, and the refusal is kept on the employee it names."""
    print("\n== The portal's requests of people whose records hold another mobile or Family ID")
    refused: Counter[str] = Counter()
    planted: Counter[str] = Counter()
    for ids in story.persons():
        defect = yardstick.refused_defect(ids)
        if defect is None:
            continue
        planted[defect] += 1
        person = ids[0]
        answer = request_otp(story, person["true_family_id"], person["true_mobile"])
        codes = [r["code"] for r in answer.json().get("reasons", [])]
        if answer.status_code == 409 and codes == [yardstick.REFUSED[defect]]:
            refused[defect] += 1
    check(
        "changed mobile: refused mobile_mismatch",
        refused["changed_mobile"],
        planted["changed_mobile"],
    )
    check(
        "wrong Family ID: refused family_id_mismatch",
        refused["wrong_family_id"],
        planted["wrong_family_id"],
    )


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
    messages = story.http.get(
        url("sms-gateway", "/messages"),
        params={"mobile": mobile},
        headers=story.bearer("SMS_GATEWAY_CONTROL_TOKEN"),
    ).json()
    return next((m for m in messages["messages"] if challenge_id in m["msgid"]), None)


def certification_story(story: Story, lifted: set[str]) -> None:
    person = next(
        p
        for p in story.own()
        if "non_contractual" in p["defects"]
        and "both_sources" not in p["defects"]  # a linked HKRNL record's gate is open
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
    print(
        f"  fake SMS gateway page   {url('sms-gateway', '/')}?token=<SMS_GATEWAY_CONTROL_TOKEN>"
        " (development only; the token is in .local/dev-secrets.env)"
    )
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
        used_stack(story, view_totals(story))  # before the upload: is the stack our own?
        ingest(story)
        lifted = certified(story)
        wait_for_views(story)
        portal_refusals(story)
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
