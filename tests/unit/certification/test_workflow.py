"""The state machine allows only the transitions of the issue and counts versions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from certification.domain import workflow
from certification.domain.access import Principal
from certification.domain.model import Certification, Submission
from certification.domain.refusal import Refusal
from tests.factories.certification import submission

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
DDO = Principal("officer", "ddo", frozenset({"DDO1"}))
HRD = Principal("hrd-desk", "hrd", frozenset())


def _submitted() -> Certification:
    return workflow.submit("c1", Submission.model_validate(submission("DDO1")), None, DDO, NOW)


def _moved(result: Certification | Refusal) -> Certification:
    assert isinstance(result, Certification), result
    return result


def test_the_happy_path_adds_one_version_and_one_step_per_transition() -> None:
    advised = _moved(workflow.advise(_submitted(), "ADV-1", date(2026, 2, 25), HRD, NOW))
    effective = _moved(workflow.activate(advised, HRD, NOW))
    revoked = _moved(workflow.revoke(effective, "left service", DDO, NOW))

    assert [c.version for c in (advised, effective, revoked)] == [2, 3, 4]
    assert [s.state for s in revoked.history] == [
        "submitted",
        "hrd_advised",
        "effective",
        "revoked",
    ]
    assert (revoked.revoked_by_role, revoked.revocation_reason) == ("ddo", "left service")
    assert effective.effective_at == NOW


def test_advised_or_submitted_certifications_can_be_rejected() -> None:
    advised = _moved(workflow.advise(_submitted(), "ADV-1", date(2026, 2, 25), HRD, NOW))

    assert _moved(workflow.reject(_submitted(), "no letter", HRD, NOW)).state == "rejected"
    assert _moved(workflow.reject(advised, "no letter", HRD, NOW)).state == "rejected"


@pytest.mark.parametrize(
    ("action", "state"),
    [("activate", "submitted"), ("revoke", "submitted"), ("advise", "rejected")],
)
def test_an_invalid_transition_names_the_current_state(action: str, state: str) -> None:
    cert = _submitted()
    if state == "rejected":
        cert = _moved(workflow.reject(cert, "no", HRD, NOW))
    calls = {
        "activate": lambda: workflow.activate(cert, HRD, NOW),
        "revoke": lambda: workflow.revoke(cert, "x", HRD, NOW),
        "advise": lambda: workflow.advise(cert, "A", date(2026, 2, 25), HRD, NOW),
    }

    refusal = calls[action]()

    assert isinstance(refusal, Refusal)
    assert refusal.reason == "invalid_transition"
    assert refusal.current_state == state
    assert f"in state {state}" in refusal.message


def test_a_revoked_certification_cannot_become_effective_again() -> None:
    advised = _moved(workflow.advise(_submitted(), "ADV-1", date(2026, 2, 25), HRD, NOW))
    revoked = _moved(workflow.revoke(_moved(workflow.activate(advised, HRD, NOW)), "x", HRD, NOW))

    refusal = workflow.activate(revoked, HRD, NOW)

    assert isinstance(refusal, Refusal)
    assert refusal.current_state == "revoked"
