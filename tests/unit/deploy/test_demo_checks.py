"""The demo on a used stack: it tells a stack of its own from one holding other data,
shows whole-stack figures there without failing, and never waits in silence."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.stack import LOCAL


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo_checks", LOCAL / "demo_checks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("demo_checks", module)
    spec.loader.exec_module(module)
    return module


checks = _module()


def test_an_empty_stack_or_an_earlier_run_of_the_demo_is_its_own() -> None:
    expected = {"I": 1700, "II": 1300}
    assert not checks.holds_other_data({"I": 0, "II": 0}, expected)
    assert not checks.holds_other_data({}, expected)
    assert not checks.holds_other_data({"I": 1700, "II": 1300}, expected)


def test_anything_else_in_the_view_is_other_data() -> None:
    expected = {"I": 1700, "II": 1300}
    assert checks.holds_other_data({"I": 1705, "II": 1300}, expected)
    assert checks.holds_other_data({"I": 12, "II": 0}, expected)
    assert "make clean" in checks.other_data_note({"I": 12, "II": 0})
    assert "leaving out 3 whose ids it already held" in checks.other_data_note({"I": 12}, 3)


def test_whole_stack_figures_are_shown_not_checked_on_a_used_stack(
    capsys: pytest.CaptureFixture[str],
) -> None:
    checks.Comparison(other_data=True).compare("OTP gate open", 2417, 2400)
    assert "whole stack; the demo planted 2400" in capsys.readouterr().out
    with pytest.raises(checks.DemoError, match="OTP gate open"):
        checks.Comparison(other_data=False).compare("OTP gate open", 2417, 2400)


def test_a_wait_prints_progress_and_a_timeout_says_what_was_seen(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checks, "PROGRESS_SECONDS", 0.4)
    with pytest.raises(checks.DemoError) as failure:
        checks.wait_for("the view", lambda: False, timeout=1.2, progress=lambda: "12 of 3000")
    assert "still waiting for the view: 12 of 3000" in capsys.readouterr().out
    assert "last seen: 12 of 3000" in str(failure.value)
    assert "make clean" in str(failure.value)
