"""Portal refusals counted on a view, and when a certification clears them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from otp.domain.refusal import Refusal
from otp.domain.view import EmployeeView, with_certification, with_record, with_refusal
from tests.factories.otp import certification, record

AT = datetime(2026, 3, 1, 10, tzinfo=UTC)


def refused(employee_id: str, reason: str = "mobile_mismatch", minutes: int = 0) -> Refusal:
    return Refusal.model_validate(
        {
            "refusal_id": f"r{minutes}",
            "employee_id": employee_id,
            "reason": reason,
            "at": AT + timedelta(minutes=minutes),
            "typed": "98******10",
            "client": "hkcl-portal",
        }
    )


def seen_codes(view: EmployeeView) -> list[str]:
    assert view.decision is not None
    return [f.code for f in view.decision.refusals_seen]


def test_refusals_count_until_a_correcting_certification_takes_effect() -> None:
    employee = record()
    view = with_record(EmployeeView(employee_id=employee.employee_id), employee)
    assert view is not None
    view = with_refusal(
        with_refusal(view, refused(employee.employee_id)), refused(employee.employee_id, minutes=5)
    )
    assert view.decision is not None
    [seen] = view.decision.refusals_seen
    assert (seen.code, seen.evidence["count"]) == ("mobile_mismatch_seen", 2)
    assert seen.evidence["last_at"] == (AT + timedelta(minutes=5)).isoformat()
    assert view.decision.blocked_codes == ["mobile_mismatch_seen"]

    head_only = with_certification(view, certification(employee.employee_id))
    assert head_only is not None
    assert seen_codes(head_only) == ["mobile_mismatch_seen"]  # it corrects no mobile
    fixed = with_certification(
        head_only,
        certification(
            employee.employee_id, covers=("mobile_changed",), corrected_mobile="9123456780"
        ),
    )
    assert fixed is not None
    assert seen_codes(fixed) == []
    assert fixed.decision is not None
    assert fixed.decision.blocked_codes == []


def test_a_correction_already_in_force_when_refused_does_not_clear_the_refusal() -> None:
    employee = record()
    cert = certification(
        employee.employee_id, covers=("mobile_changed",), corrected_mobile="9123456780"
    )
    view = with_record(EmployeeView(employee_id=employee.employee_id), employee)
    assert view is not None
    view = with_certification(view, cert)
    assert view is not None

    again = with_refusal(view, refused(employee.employee_id))

    assert seen_codes(again) == ["mobile_mismatch_seen"]
    assert again.refusals["mobile_mismatch"].corrections_then == (cert.certification_id,)
