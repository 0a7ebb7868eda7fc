"""`make bench` on a stack of its own, at smoke size: it writes results.json with every
figure the benchmarks document (the closed-loop bursts, the open-loop rates, the round trips,
the CPU time per process), each ratio taken against the floor of the same run, the targets on
exactly the figures that have them, and the reason for every failed request."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from tests.stack import ROOT

TARGETED = {
    "ingest file->view",
    "otp requests c=32 rps",
    "otp requests c=32 p99_ms",
    "otp verifications c=32 rps",
    "otp verifications c=32 p99_ms",
    "sms accepted->gateway p99 c=32",
    "sms last accepted->last at gateway c=32",
    "cpu notify per sms c=32",
    "sms accepted->gateway p99 open 50%",
    "sms accepted->gateway p99 open 80%",
    "otp round trips c=32 rps",
    "notify drain cpu ms/sms",
    "notify drain / otp requests c=32 rps",
}
OPEN_LOOP = ("offered rps", "rps", "p50_ms", "p99_ms", "errors")
ROUND_TRIPS = ("rps", "p50_ms", "p99_ms", "errors", "sms wait p50")
SERVICES = ("sms-gateway", "ingest", "certification", "otp", "notify", "mongod", "kafka")


def test_the_quick_bench_writes_every_figure_with_its_ratio_and_target(
    tmp_path: Path, servers: dict[str, str]
) -> None:
    """(`servers`: the session's Keycloak, where the bench signs its officers in.)"""
    results = tmp_path / "results.json"
    run = subprocess.run(
        [
            *(sys.executable, "-m", "bench", "--quick", "--base", "650"),
            *("--state", str(tmp_path / "state"), "--results", str(results)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    written = json.loads(results.read_text())
    assert written["machine"]["cpus"] >= 1
    figures = {f["name"]: f for f in written["figures"]}
    for c in (1, 32, 128):
        for kind in ("requests", "verifications"):
            for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "errors"):
                assert f"otp {kind} c={c} {key}" in figures
            load = written["raw"][f"otp {kind} c={c}"]
            errors = figures[f"otp {kind} c={c} errors"]["value"]
            assert sum(load["errors"].values()) == errors, "every failure has its reason"
            runs = written["raw"]["floor runs"][f"c={c}"]
            fastest = max(runs["before"]["rps"], runs["after"]["rps"])
            assert load["floor"]["rps"] == fastest, "the floor is the faster of its two runs"
        assert f"sms accepted->gateway p99 c={c}" in figures
        cpu = written["raw"]["cpu seconds"][f"c={c}"]
        assert set(SERVICES) <= set(cpu), "CPU time of every process"
        assert cpu["sms"] > 0
    for percent in (50, 80):
        for key in OPEN_LOOP:
            assert f"otp requests open {percent}% {key}" in figures
        for key in ("p50", "p99"):
            assert figures[f"sms accepted->gateway {key} open {percent}%"]["value"] is not None
        offered = figures[f"otp requests open {percent}% offered rps"]["value"]
        closed = figures["otp requests c=32 rps"]["value"]
        assert math.isclose(offered, closed * percent / 100), "a share of the same run's rate"
    for key in ROUND_TRIPS:
        assert figures[f"otp round trips c=32 {key}"]["value"] is not None
    assert figures["otp round trips c=32 errors"]["value"] == 0, written["raw"]
    for name in ("cpu sms-gateway c=32", "cpu sms-gateway per sms c=32"):
        assert figures[name]["value"] > 0, "the fake gateway's CPU time, apart"
    assert figures["cpu notify per sms c=32"]["value"] > 0
    assert figures["notify gateway client cpu ms/send"]["value"] > 0
    assert figures["notify drain sms/s"]["value"] > 0
    assert written["raw"]["notify drain"]["backlog"] == 2000, "the quick run's backlog"
    assert figures["notify drain cpu ms/sms"]["value"] > 0
    drain_ratio = figures["notify drain / otp requests c=32 rps"]["value"]
    c32 = figures["otp requests c=32 rps"]["value"]
    assert math.isclose(drain_ratio, figures["notify drain sms/s"]["value"] / c32)
    assert 0 < figures["load generator cpu share otp requests c=32"]["value"] < 1
    assert "otp requests c=32" in written["raw"]["load generator cpu"]
    short = [note for note in written["notes"] if "people left" in note]
    assert not short, "the quick data holds everyone each phase asks"
    assert {"ingest file->view", "certification effective->gate open p99"} <= set(figures)
    for name in ("ingest", "otp", "certification", "mongod", "kafka", "total"):
        assert figures[f"ingest cpu {name} per employee"]["value"] > 0, "the ingest's CPU budget"
    for figure in figures.values():
        if figure["floor"]:
            assert math.isclose(figure["ratio"], figure["value"] / figure["floor"])
    assert {name for name, f in figures.items() if f["target"]} == TARGETED
    met = sum(bool(f["target_met"]) for f in figures.values() if f["target"])
    assert f"targets met: {met}/{len(TARGETED)}" in run.stdout
