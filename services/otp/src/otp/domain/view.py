"""The eligibility view of one employee and how events change it (pure)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from contracts.certification import CertificationRevoked, CertificationTookEffect
from contracts.ingest import EmployeeRecordReceived
from otp.domain.decision import Decision, Finding, decide
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

    @property
    def mobile(self) -> str | None:
        return effective_mobile(self.record, self.in_force()) if self.record else None

    @property
    def family_id(self) -> str | None:
        return effective_family_id(self.record, self.in_force()) if self.record else None


def with_record(view: EmployeeView, event: EmployeeRecordReceived) -> EmployeeView | None:
    """The view after `event`, or None when the event is stale or a duplicate."""
    if view.record is not None and view.record.source_version >= event.source_version:
        return None
    return _recomputed(view.model_copy(update={"record": event}))


def with_certification(
    view: EmployeeView, event: CertificationTookEffect | CertificationRevoked
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


def with_refusal(view: EmployeeView, refusal: Refusal) -> EmployeeView:
    """The view after a portal refusal that named this employee."""
    seen = seen_after(view.refusals.get(refusal.reason), refusal, view.in_force())
    return _recomputed(
        view.model_copy(update={"refusals": {**view.refusals, refusal.reason: seen}})
    )


def _recomputed(view: EmployeeView) -> EmployeeView:
    decision = decide(view.employee_id, view.record, view.in_force())
    seen = tuple(
        Finding(code=code, evidence=evidence)
        for code, evidence in outstanding(view.refusals, view.in_force())
    )
    decision = decision.model_copy(update={"refusals_seen": seen})
    return view.model_copy(update={"decision": decision, "view_version": view.view_version + 1})
