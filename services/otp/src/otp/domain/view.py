"""The eligibility view of one employee and how events change it (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from contracts.certification import CertificationRevoked, CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived
from otp.domain.decision import Decision, Finding, decide
from otp.domain.person import Member, decide_person
from otp.domain.refusal import Refusal, Seen, outstanding, seen_after
from otp.domain.rules import effective_family_id, effective_mobile


class CertificationState(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int
    in_force: bool
    effect: CertificationTookEffect | None = None


class EmployeeView(BaseModel):
    """Merged source data, certifications and the computed decision of one employee.

    `view_version` grows by one with every change; `published_version` is the last
    version announced on eligibility-changes, so a change whose announcement failed is
    announced again on the next delivery.
    """

    model_config = ConfigDict(frozen=True)

    employee_id: str
    record: EmployeeRecordReceived | None = None
    certifications: dict[str, CertificationState] = {}
    decision: Decision | None = None
    refusals: dict[str, Seen] = {}
    view_version: int = 0
    published_version: int = 0

    def in_force(self) -> list[CertificationTookEffect]:
        """Certifications in force, oldest first; the id breaks ties so that the order,
        and with it the decision, never depends on the order the events arrived in."""
        effects = [s.effect for s in self.certifications.values() if s.in_force and s.effect]
        return sorted(effects, key=lambda cert: (cert.effective_at, cert.certification_id))

    def linked_ids(self) -> tuple[str, ...]:
        """The ids of the same person in other sources, as the record names them."""
        return self.record.linked_employee_ids if self.record else ()

    @property
    def mobile(self) -> str | None:
        return effective_mobile(self.record, self.in_force()) if self.record else None

    @property
    def family_id(self) -> str | None:
        return effective_family_id(self.record, self.in_force()) if self.record else None


def with_record(
    view: EmployeeView, event: EmployeeRecordReceived, others: Sequence[EmployeeView] = ()
) -> EmployeeView | None:
    """The view after `event`, or None when the event is stale or a duplicate. `others`
    are the views of the ids the person has in other sources (see `with_others`)."""
    if view.record is not None and view.record.source_version >= event.source_version:
        return None
    return _recomputed(view.model_copy(update={"record": event}), others)


def with_others(view: EmployeeView, others: Sequence[EmployeeView]) -> EmployeeView | None:
    """The view decided again as one person with the views of its linked ids; None when
    the decision stays as it is."""
    updated = _recomputed(view, others)
    return None if updated.decision == view.decision else updated


def with_certification(
    view: EmployeeView,
    event: CertificationTookEffect | CertificationRevoked,
    others: Sequence[EmployeeView] = (),
) -> EmployeeView | None:
    """The view after a certification took effect or was revoked; None when stale."""
    current = view.certifications.get(event.certification_id)
    if current is not None and current.version >= event.source_version:
        return None
    if isinstance(event, CertificationTookEffect):
        state = CertificationState(version=event.source_version, in_force=True, effect=event)
    else:
        state = CertificationState(version=event.source_version, in_force=False)
    certifications = {**view.certifications, event.certification_id: state}
    return _recomputed(view.model_copy(update={"certifications": certifications}))


def with_refusal(
    view: EmployeeView, refusal: Refusal, others: Sequence[EmployeeView] = ()
) -> EmployeeView:
    """The view after a portal refusal that named this employee."""
    seen = seen_after(view.refusals.get(refusal.reason), refusal, view.in_force())
    refusals = {**view.refusals, refusal.reason: seen}
    return _recomputed(view.model_copy(update={"refusals": refusals}), others)


def _members(view: EmployeeView, others: Sequence[EmployeeView]) -> list[Member]:
    """The person's records: this view's and those of its linked ids that hold one."""
    linked = set(view.linked_ids()) - {view.employee_id}
    views = [view, *(other for other in others if other.employee_id in linked)]
    return [
        Member(v.employee_id, v.record, tuple(v.in_force())) for v in views if v.record is not None
    ]


def _recomputed(view: EmployeeView, others: Sequence[EmployeeView] = ()) -> EmployeeView:
    members = _members(view, others)
    if len(members) > 1:
        decision = decide_person(view.employee_id, members)
    else:
        decision = decide(view.employee_id, view.record, view.in_force())
    seen = tuple(
        Finding(code=code, evidence=evidence)
        for code, evidence in outstanding(view.refusals, view.in_force())
    )
    decision = decision.model_copy(update={"refusals_seen": seen})
    return view.model_copy(update={"decision": decision, "view_version": view.view_version + 1})
