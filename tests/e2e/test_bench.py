"""`make bench` on a stack of its own, at smoke size: it writes results.json with every
figure the benchmarks document, each ratio taken against the floor of the same run, the
targets on exactly the figures that have them, and the reason for every failed request."""

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
}


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
        assert f"sms accepted->gateway p99 c={c}" in figures
    assert {"ingest file->view", "certification effective->gate open p99"} <= set(figures)
    for figure in figures.values():
        if figure["floor"]:
            assert math.isclose(figure["ratio"], figure["value"] / figure["floor"])
    assert {name for name, f in figures.items() if f["target"]} == TARGETED
    met = sum(bool(f["target_met"]) for f in figures.values() if f["target"])
    assert f"targets met: {met}/6" in run.stdout
