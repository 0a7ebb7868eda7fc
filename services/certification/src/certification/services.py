"""Use cases of the certification service: load, decide (domain), save with its audit
entry, then publish. No FastAPI or FastStream here.

Publication is outbox-like: the state change is written first; the event of an
effective or revoked certification is then published and `published_version` is set.
If Kafka does not acknowledge, the mark stays behind and `republish_pending` (at
startup and on the next use case touching the certification) publishes it again with
the same event id and version, so consumers that guard by version apply it once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from certification.domain import access, workflow
from certification.domain.access import Principal
from certification.domain.audit import Verdict
from certification.domain.events import event_for, needs_publishing
from certification.domain.listing import Listing
from certification.domain.model import STATES, Certification, Letter, State, Submission
from certification.domain.refusal import Refusal
from certification.metrics import Metrics
from certification.ports import (
    AuditRecord,
    CertificationStore,
    EmployeeDirectory,
    EventPublisher,
    LetterStore,
)
from servicekit.pii import mask_family_id, mask_mobile

log = logging.getLogger(__name__)
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class Deps:
    store: CertificationStore
    directory: EmployeeDirectory
    letters: LetterStore
    publisher: EventPublisher
    metrics: Metrics
    clock: Callable[[], datetime]
    new_id: Callable[[], str]
    max_letter_bytes: int


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Submitted:
    certification: Certification
    created: bool


def _refuse(deps: Deps, refusal: Refusal) -> Refusal:
    deps.metrics.refusals.labels(refusal.reason).inc()
    return refusal


def check_letter(upload: Upload, max_bytes: int) -> Refusal | None:
    """A letter must be a PDF (magic bytes, not the name) within the size limit."""
    if len(upload.data) > max_bytes:
        return Refusal("too_large", f"letter is larger than the limit of {max_bytes} bytes")
    if not upload.data.startswith(PDF_MAGIC):
        return Refusal("unsupported_type", "letter must be a PDF (content must start with %PDF-)")
    return None


def _submission_details(sub: Submission, letter: Letter | None) -> dict[str, Any]:
    return {
        "employee_id": sub.employee_id,
        "office_code": sub.office_code,
        "letter_number": sub.letter_number,
        "officer_role": sub.officer_role,
        "covers": list(sub.covers),
        "corrected_mobile": mask_mobile(sub.corrected_mobile) if sub.corrected_mobile else None,
        "corrected_family_id": (
            mask_family_id(sub.corrected_family_id) if sub.corrected_family_id else None
        ),
        "letter_sha256": letter.sha256 if letter else None,
    }


async def _repeat(deps: Deps, sub: Submission) -> Submitted | Refusal | None:
    """The office's letter number already made a certification: the same one back."""
    existing = await deps.store.find_by_letter(sub.office_code, sub.letter_number)
    if existing is None:
        return None
    if existing.submission.employee_id != sub.employee_id:
        msg = f"letter {sub.letter_number} of office {sub.office_code} certifies another employee"
        return _refuse(deps, Refusal("conflict", msg))
    deps.metrics.submissions.labels("repeated").inc()
    return Submitted(existing, created=False)


async def submit(
    deps: Deps, who: Principal, sub: Submission, upload: Upload | None
) -> Submitted | Refusal:
    """Record an officer's certification; the same letter number again returns it.

    The officer's scope is checked against the office the source data places the
    employee in, not only the office the submission names."""
    if refused := access.may_submit(who, sub.office_code, sub.officer_role):
        return _refuse(deps, refused)
    placement = await deps.directory.placement(sub.employee_id)
    if refused := access.may_submit_for(who, placement, sub.employee_id):
        return _refuse(deps, refused)
    if upload is not None and (refused := check_letter(upload, deps.max_letter_bytes)):
        return _refuse(deps, refused)
    if repeated := await _repeat(deps, sub):
        return repeated
    letter = await _store_letter(deps, upload)
    now = deps.clock()
    cert = workflow.submit(deps.new_id(), sub, letter, who, now)
    cert = cert.model_copy(update={"placement": placement})
    details = _submission_details(sub, letter)
    details["office_in_data"] = placement.office_code if placement else None
    details["department_in_data"] = placement.department_code if placement else None
    record = AuditRecord(now, who.sub, who.role, "submit", cert.id, details)
    if not await deps.store.create(cert, record):
        if letter is not None:
            await deps.letters.delete(letter.file_id)
        return await _repeat(deps, sub) or _refuse(deps, Refusal("conflict", "submit again"))
    deps.metrics.submissions.labels("created").inc()
    deps.metrics.transitions.labels("submitted").inc()
    return Submitted(cert, created=True)


async def _store_letter(deps: Deps, upload: Upload | None) -> Letter | None:
    if upload is None:
        return None
    sha256 = hashlib.sha256(upload.data).hexdigest()
    file_id = await deps.letters.put(upload.data, upload.filename, sha256)
    return Letter(file_id=file_id, filename=upload.filename, sha256=sha256, size=len(upload.data))


async def _load(deps: Deps, cert_id: str) -> Certification | Refusal:
    cert = await deps.store.find(cert_id)
    if cert is None:
        return _refuse(deps, Refusal("not_found", f"no certification {cert_id}"))
    return cert


async def _apply(
    deps: Deps,
    who: Principal,
    cert: Certification,
    moved: Certification | Refusal,
    details: dict[str, Any],
) -> Certification | Refusal:
    if isinstance(moved, Refusal):
        return _refuse(deps, moved)
    details = {"from": cert.state, "to": moved.state, "version": moved.version, **details}
    action = {"hrd_advised": "advise", "effective": "activate"}.get(moved.state, moved.state)
    record = AuditRecord(deps.clock(), who.sub, who.role, action, cert.id, details)
    if not await deps.store.update(moved, cert.version, record):
        msg = "the certification changed meanwhile; read it again and retry"
        return _refuse(deps, Refusal("conflict", msg, current_state=cert.state))
    deps.metrics.transitions.labels(moved.state).inc()
    return await publish_if_due(deps, moved)


async def advise(
    deps: Deps, who: Principal, cert_id: str, number: str, on: date
) -> Certification | Refusal:
    """HRD records its advice (number and date): submitted -> hrd_advised."""
    if refused := access.may_decide(who, "record advice"):
        return _refuse(deps, refused)
    cert = await _load(deps, cert_id)
    if isinstance(cert, Refusal):
        return cert
    moved = workflow.advise(cert, number, on, who, deps.clock())
    return await _apply(deps, who, cert, moved, {"advice_number": number, "advice_date": str(on)})


async def activate(deps: Deps, who: Principal, cert_id: str) -> Certification | Refusal:
    """HRD makes an advised certification effective; its event is then published."""
    if refused := access.may_decide(who, "activate"):
        return _refuse(deps, refused)
    cert = await _load(deps, cert_id)
    if isinstance(cert, Refusal):
        return cert
    return await _apply(deps, who, cert, workflow.activate(cert, who, deps.clock()), {})


async def reject(deps: Deps, who: Principal, cert_id: str, reason: str) -> Certification | Refusal:
    """HRD refuses a certification that is not yet effective, with its reason."""
    if refused := access.may_decide(who, "reject"):
        return _refuse(deps, refused)
    cert = await _load(deps, cert_id)
    if isinstance(cert, Refusal):
        return cert
    moved = workflow.reject(cert, reason, who, deps.clock())
    return await _apply(deps, who, cert, moved, {"reason": reason})


async def revoke(deps: Deps, who: Principal, cert_id: str, reason: str) -> Certification | Refusal:
    """The certifying office or HRD withdraws an effective certification."""
    cert = await _load(deps, cert_id)
    if isinstance(cert, Refusal):
        return cert
    if refused := access.may_revoke(who, cert):
        return _refuse(deps, refused)
    moved = workflow.revoke(cert, reason, who, deps.clock())
    return await _apply(deps, who, cert, moved, {"reason": reason})


async def show(deps: Deps, who: Principal, cert_id: str) -> Certification | Refusal:
    """One certification, if within the reader's scope."""
    cert = await _load(deps, cert_id)
    if isinstance(cert, Refusal):
        return cert
    if refused := access.may_read(who, cert):
        return _refuse(deps, refused)
    if needs_publishing(cert):
        cert = await publish_if_due(deps, cert)
    return cert


async def search(deps: Deps, who: Principal, listing: Listing) -> list[Certification] | Refusal:
    """Certifications by the listing's filters, limited to the reader's scope: HRD sees
    all; an officer those certified by, or placed by the data in, one of their offices."""
    offices = access.visible_offices(who, listing.office)
    if isinstance(offices, Refusal):
        return _refuse(deps, offices)
    scope = None if offices is None else tuple(offices)
    return await deps.store.search(replace(listing, offices=scope))


async def letter_of(deps: Deps, who: Principal, cert_id: str) -> tuple[Letter, bytes] | Refusal:
    """The scanned letter of a certification within the reader's scope."""
    cert = await show(deps, who, cert_id)
    if isinstance(cert, Refusal):
        return cert
    data = await deps.letters.get(cert.letter.file_id) if cert.letter else None
    if cert.letter is None or data is None:
        return _refuse(deps, Refusal("not_found", f"certification {cert_id} has no letter"))
    return cert.letter, data


async def verify_audit(deps: Deps, who: Principal) -> Verdict | Refusal:
    """HRD checks the whole audit chain."""
    if refused := access.may_verify_audit(who):
        return _refuse(deps, refused)
    return await deps.store.verify_audit()


async def publish_if_due(deps: Deps, cert: Certification) -> Certification:
    """Publish the current event unless already confirmed; keep it pending on failure."""
    event = event_for(cert)
    if event is None or not needs_publishing(cert):
        return cert
    try:
        await deps.publisher.publish(event)
    except Exception:
        deps.metrics.publish_failures.inc()
        log.exception("event %s not published; it stays pending", event.event_id)
        return cert
    await deps.store.mark_published(cert.id, cert.version)
    return cert.model_copy(update={"published_version": cert.version})


async def republish_pending(deps: Deps) -> int:
    """Publish every event left pending by an earlier failure; returns how many went out."""
    sent = 0
    for cert in await deps.store.unpublished():
        if (await publish_if_due(deps, cert)).published_version == cert.version:
            sent += 1
    return sent


async def count_states(deps: Deps) -> dict[State, int]:
    """Refresh the per-state gauge (HRD's backlog is the `submitted` count)."""
    counts = await deps.store.count_by_state()
    for state in STATES:
        deps.metrics.by_state.labels(state=state).set(counts.get(state, 0))
    return counts
