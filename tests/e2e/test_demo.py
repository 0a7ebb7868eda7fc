"""`make demo` on a whole system of its own: every figure it prints is read from the
running services and checked against the generator's manifest (the demo exits 1 on any
difference), and the certified person's OTP arrives and verifies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.stack import LOCAL, running_stack


def test_the_demo_runs_the_story_and_every_figure_matches_the_manifest(
    tmp_path: Path, servers: dict[str, str]
) -> None:
    """(`servers`: the session's Keycloak, where the demo signs its officers in.)"""
    with running_stack(tmp_path / "state", base=600) as stack:
        demo = subprocess.run(
            [sys.executable, str(LOCAL / "demo.py"), "--employees", "400"],
            env=stack.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    story = demo.stdout
    assert demo.returncode == 0, story + demo.stderr
    checked = [line for line in story.splitlines() if "manifest" in line]
    assert len(checked) > 20, story
    assert all(line.endswith("ok") for line in checked), story
    assert "closed: non_contractual_head" in story
    assert "POST /v1/otp/requests -> 409 ['non_contractual_head']" in story
    assert "POST /v1/otp/verifications (code from the SMS) -> 200" in story
