"""What the OTP service shows of the demo's people: the eligibility view, HRD's readiness
summary per person and the blocked report per office, beside what the manifest planted.

On a stack of its own the whole-stack reports are checked. On a stack holding other data
the demo's own persons are looked up one by one (`own_gates`, the person-based yardstick's
figures) and the whole-stack figures are shown without being checked."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any
from urllib.parse import quote

import demo_planted as yardstick
from demo_checks import check, holds_other_data, other_data_note, wait_for
from demo_story import Story, url

GATE_REASONS = ("no_record", "mobile_missing", "family_id_missing", "non_contractual_head")
REASONS = (*GATE_REASONS, *yardstick.SEEN.values())
# What the view shows before the portal's requests are made (refusals come after).
ARRIVED = ("total", *GATE_REASONS)
PARTS = ("I", "II", "I+II")
TITLES = {"I": "HKRNL", "II": "T&A e-Billing", "I+II": "in both, decided as one person"}


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


def readiness(story: Story) -> dict[str, dict[str, Any]]:
    parts = story.call(
        "GET", url("otp", "/v1/reports/readiness"), 200, headers=story.officer("hrd")
    ).json()["parts"]
    return {p["part"]: p for p in parts if p["part"] in PARTS}


def view_totals(story: Story) -> dict[str, int]:
    return {part: report["total"] for part, report in readiness(story).items()}


def decision(story: Story, employee_id: str, hrd: dict[str, str]) -> dict[str, Any] | None:
    answer = story.http.get(
        url("otp", f"/v1/employees/{quote(employee_id, safe='')}/decision"), headers=hrd
    )
    return answer.json() if answer.status_code == 200 else None


def used_stack(story: Story, before: dict[str, int]) -> None:
    """Before the upload: does the stack hold other data? If so, say it in one line and
    leave out the persons whose ids it already held (unless it held all of them: then it
    is an earlier run of this demo)."""
    own = {part: n["total"] for part, n in yardstick.gates(story.persons(), set()).items()}
    if not holds_other_data(before, own):
        return
    story.figures.other_data = True
    hrd = story.officer("hrd")
    ids = [entry["employee_id"] for entry in story.people()]
    held = {employee_id for employee_id in ids if decision(story, employee_id, hrd)}
    story.shared = held if held != set(ids) else set()
    left_out = len(yardstick.persons(story.people())) - len(story.persons())
    print(other_data_note(before, left_out))


def own_gates(story: Story) -> dict[str, Counter[str]]:
    """The demo's own persons as the OTP service decided them, one look-up per id: a
    person is blocked when any of their ids is, for every reason a blocked id gives
    (as the readiness summary counts a person)."""
    got: dict[str, Counter[str]] = {part: Counter() for part in PARTS}
    hrd = story.officer("hrd")
    for ids in story.persons():
        decisions = [decision(story, entry["employee_id"], hrd) for entry in ids]
        if any(d is None for d in decisions):
            continue
        part = got[yardstick.part_of(ids)]
        part["total"] += 1
        blocked = [d for d in decisions if d and (not d["gate"]["open"] or d["refusals_seen"])]
        part["blocked" if blocked else "gate_open"] += 1
        part.update(
            {f["code"] for d in blocked for f in (*d["gate"]["reasons"], *d["refusals_seen"])}
        )
    return got


def _arrived(counts: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
    return {part: {f: counts[part][f] for f in ARRIVED} for part in PARTS}


def wait_for_views(story: Story) -> None:
    """Until the view holds the demo's persons: on a stack of its own, the readiness
    totals; on a used stack, its own persons one by one, gates as planted."""
    lifted = certified(story)
    expected = yardstick.gates(story.persons(), lifted)
    totals = {p: e["total"] for p, e in expected.items() if e["total"]}
    waiting = f"{sum(totals.values())} persons, {len(story.own())} ids"
    print(f"\n== The OTP service's eligibility view (waiting for {waiting})")
    seen: list[Any] = [{}]
    if story.figures.other_data:

        def arrived() -> bool:
            seen[0] = _arrived(own_gates(story))
            return bool(seen[0] == _arrived(expected))

        def progress() -> str:
            return "the demo's persons in the view: " + ", ".join(
                f"Part-{p} {seen[0][p]['total']} of {totals[p]}" for p in totals
            )

    else:

        def arrived() -> bool:
            seen[0] = view_totals(story)
            return bool(seen[0] == totals)

        def progress() -> str:
            return f"the view holds {seen[0]} of {totals} persons per part"

    wait_for("the eligibility view", arrived, progress=progress)


def gates(story: Story) -> None:
    lifted = certified(story)
    expected = yardstick.gates(story.persons(), lifted)
    whole = readiness(story)
    mine = own_gates(story) if story.figures.other_data else None
    whom = "the demo's own persons, one by one" if mine else "HRD's summary"
    print(f"\n== Readiness per person ({whom})")
    for part in (p for p in PARTS if expected[p]["total"]):
        planted, report = expected[part], whole.get(part, {})
        print(f" Part-{part} ({TITLES[part]}):")
        got = mine[part] if mine else _counted(report)
        check("persons in the view", got["total"], planted["total"])
        check("ready (gate open, not refused)", got["gate_open"], planted["gate_open"])
        check("blocked", got["blocked"], planted["blocked"])
        for reason in REASONS:
            kind = "refused" if reason in yardstick.SEEN.values() else "closed"
            check(f"  {kind}: {reason}", got[reason], planted[reason])
        if mine:
            whole_stack = f"{report.get('total', 0)} persons, {report.get('blocked', 0)} blocked"
            print(f"  whole stack: {whole_stack}")
            continue
        print(
            "  provisional eligibility (rules, not planted): "
            + ", ".join(f"{k} {v}" for k, v in report["eligibility"].items())
        )
    if lifted:
        print(f" ({len(lifted)} blocked people already certified by earlier runs)")


def _counted(report: dict[str, Any]) -> Counter[str]:
    """A part of the readiness summary as `own_gates` counts one."""
    got: Counter[str] = Counter(report["blocked_by_reason"])
    got.update({figure: report[figure] for figure in ("total", "gate_open", "blocked")})
    return got


def offices(story: Story, lifted: set[str]) -> None:
    planted: Counter[str] = Counter()
    refused: dict[str, str] = {}  # person's first id -> its DDO
    for ids in story.persons():
        if yardstick.refused_defect(ids):
            refused[min(e["employee_id"] for e in ids)] = ids[0]["ddo_code"]
        if yardstick.refused_defect(ids) or all(yardstick.closed(entry, lifted) for entry in ids):
            planted[ids[0]["ddo_code"]] += 1
    report = story.call(
        "GET", url("otp", "/v1/reports/blocked"), 200, headers=story.officer("hrd")
    ).json()
    got: Counter[str] = Counter()  # a DDO code outside master data may serve two departments
    for office in report["offices"]:
        got[office["ddo_code"]] += office["blocked"]
    print(f"\n== Blocked report per office: {len(got)} DDOs must certify someone")
    compare = story.figures.compare  # whole-stack figures: checked on a stack of its own
    for ddo, count in sorted(got.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
        compare(f"blocked at {ddo}", count, planted[ddo])
    compare("DDOs with someone blocked", len(got), len(planted))
    compare("people blocked, all DDOs", sum(got.values()), sum(planted.values()))
    listing = story.call(
        "GET", url("otp", "/v1/reports/blocked.csv"), 200, headers=story.officer("hrd")
    ).text
    on_lists = {
        row["employee_id"]
        for row in csv.DictReader(io.StringIO(listing))
        if set(row["reason_codes"].split(";")) & set(yardstick.SEEN.values())
        and refused.get(row["employee_id"]) == row["ddo_code"]
    }
    check("refused at the portal, on their DDO's list", len(on_lists), len(refused))
    ddo = max(planted, key=lambda d: (planted[d], d))
    mine = story.call(
        "GET",
        url("otp", "/v1/reports/blocked.csv"),
        200,
        headers=story.officer("ddo", ddo),
        params={"ddo": ddo},
    ).text
    own = list(csv.DictReader(io.StringIO(mine)))
    seen = [row for row in own if row["refusals_seen"] != "0"]
    print(f"  {ddo}'s own list: {len(own)} people, {len(seen)} refused at the portal")
    for row in seen[:2]:
        print(f"    {row['employee_id']} {row['mobile']} {row['reason_codes']}", end="")
        print(f" refused {row['refusals_seen']}x, last {row['last_refused_at'][:19]}")
    print(f"  a DDO's list (masked): {url('otp', f'/v1/reports/blocked.csv?ddo={ddo}')}")
