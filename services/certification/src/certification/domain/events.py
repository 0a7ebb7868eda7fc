"""Which event a certification's current state publishes, if any.

Only an effective certification is a verified override; a revoked one withdraws it.
The event id is derived from the certification id and version, so a repeated publish
(after a failure or a restart) carries the same id and consumers drop it.
"""

from __future__ import annotations

from certification.domain.model import Certification
from contracts.certification import CertificationRevoked, CertificationTookEffect

PRODUCER = "certification"
Event = CertificationTookEffect | CertificationRevoked


def event_for(cert: Certification, correlation_id: str | None = None) -> Event | None:
    sub = cert.submission
    common = {
        "event_id": f"{cert.id}-v{cert.version}",
        "producer": PRODUCER,
        "correlation_id": correlation_id or cert.id,
        "partition_key": sub.employee_id,
        "source_version": cert.version,
        "certification_id": cert.id,
        "employee_id": sub.employee_id,
    }
    if cert.state == "effective":
        return CertificationTookEffect.model_validate(
            {
                **common,
                "occurred_at": cert.effective_at,
                "office_code": sub.office_code,
                "letter_number": sub.letter_number,
                "letter_date": sub.letter_date,
                "certified_by_role": sub.officer_role,
                "hrd_advice_number": cert.hrd_advice_number,
                "hrd_advice_date": cert.hrd_advice_date,
                "covers": sub.covers,
                "corrected_mobile": sub.corrected_mobile,
                "corrected_family_id": sub.corrected_family_id,
                "effective_at": cert.effective_at,
                "service_periods": [
                    {"start": p.start, "end": p.end, "post": p.post}
                    for p in sub.service_details.periods
                ],
                "head_of_account_used": sub.service_details.head_of_account_used,
            }
        )
    if cert.state == "revoked":
        return CertificationRevoked.model_validate(
            {
                **common,
                "occurred_at": cert.revoked_at,
                "reason": cert.revocation_reason,
                "revoked_by_role": cert.revoked_by_role,
                "revoked_at": cert.revoked_at,
            }
        )
    return None


def needs_publishing(cert: Certification) -> bool:
    return cert.published_version < cert.version and cert.state in ("effective", "revoked")
