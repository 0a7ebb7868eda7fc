"""`make demo` on a whole system of its own: every figure it prints is read from the
running services and checked against the generator's manifest (the demo exits 1 on any
difference), and the certified person's OTP arrives and verifies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.stack import LOCAL, running_stack


def _demo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(LOCAL / "demo.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_demo_runs_the_story_and_every_figure_matches_the_manifest(
    tmp_path: Path, servers: dict[str, str]
) -> None:
    """(`servers`: the session's Keycloak, where the demo signs its officers in.)"""
    with running_stack(tmp_path / "state", base=600) as stack:
        demo = _demo(stack.env, "--employees", "400")
        # the same stack, now holding data that is not this run's: said once, not a wait
        other = tmp_path / "other-run"
        used = _demo(stack.env, "--employees", "150", "--seed", "7", "--out", str(other))
    assert used.returncode == 0, used.stdout + used.stderr
    assert "persons that are not this demo's: it counts its own people" in used.stdout
    assert "Readiness per person (the demo's own persons, one by one)" in used.stdout
    own = [line for line in used.stdout.splitlines() if "manifest" in line]
    assert len(own) > 20, used.stdout
    assert all(line.endswith("ok") for line in own), used.stdout
    assert "gave up waiting" not in used.stdout + used.stderr
    assert "POST /v1/otp/verifications (code from the SMS) -> 200" in used.stdout
    story = demo.stdout
    assert demo.returncode == 0, story + demo.stderr
    checked = [line for line in story.splitlines() if "manifest" in line]
    assert len(checked) > 20, story
    assert all(line.endswith("ok") for line in checked), story
    assert "closed: non_contractual_head" in story
    assert "refused: mobile_mismatch_seen" in story
    assert "refused at the portal, on their DDO's list" in story
    assert "Part-I+II (in both, decided as one person)" in story
    assert "POST /v1/otp/requests -> 409 ['non_contractual_head']" in story
    assert "POST /v1/otp/verifications (code from the SMS) -> 200" in story
