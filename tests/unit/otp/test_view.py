"""The employee view folds records and certifications into one decision, whatever order
the events arrive in."""

from __future__ import annotations

from itertools import permutations

from otp.domain.view import EmployeeView, with_certification, with_record
from tests.factories.otp import certification, record


def test_certifications_effective_at_the_same_instant_give_one_answer_in_any_order() -> None:
    """Two offices' corrections that took effect at the same moment: the later id wins,
    and the decision lists them in one order, whichever arrived first."""
    person = record("ebilling:E1", mobile=None, family_id=None)
    first = certification(
        "ebilling:E1",
        certification_id="c1",
        covers=("mobile_changed",),
        corrected_mobile="9123456780",
    )
    second = certification(
        "ebilling:E1",
        certification_id="c2",
        covers=("mobile_changed",),
        corrected_mobile="9000000001",
    )
    assert first.effective_at == second.effective_at

    views = []
    for order in permutations([person, first, second]):
        view = EmployeeView(employee_id="ebilling:E1")
        for event in order:
            if event is person:
                view = with_record(view, person) or view
            else:
                view = with_certification(view, event) or view  # type: ignore[arg-type]
        views.append(view)

    assert {view.mobile for view in views} == {"9000000001"}
    assert all(view.decision == views[0].decision for view in views)
    (missing_family_id,) = views[0].decision.gate.reasons  # type: ignore[union-attr]
    assert missing_family_id.evidence["certifications_in_force"] == ["c1", "c2"]
