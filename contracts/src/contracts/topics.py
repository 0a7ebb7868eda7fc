"""Topic registry: each topic name, the models it carries and its dead-letter topic.

The version lives in the name: an incompatible change means a new topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from contracts.certification import CertificationRevoked, CertificationTookEffect
from contracts.dlq import DeadLetter
from contracts.ingest import EmployeeRecordReceived, MasterDataChanged
from contracts.notify import SmsStatusReported
from contracts.otp import EligibilityChanged, SmsRequested

EMPLOYEE_RECORDS = "employee-records.v1"
MASTER_DATA = "master-data.v1"
CERTIFICATIONS = "certifications.v1"
SMS_REQUESTS = "sms-requests.v1"
SMS_STATUS = "sms-status.v1"
ELIGIBILITY_CHANGES = "eligibility-changes.v1"


def dlq(topic: str) -> str:
    """Dead-letter topic of `topic`: what could never be processed, with its reason."""
    return f"{topic}.dlq"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    key: str
    producer: str
    consumers: tuple[str, ...]
    models: tuple[type[BaseModel], ...]


TOPICS: dict[str, TopicSpec] = {
    spec.name: spec
    for spec in (
        TopicSpec(EMPLOYEE_RECORDS, "employee id", "ingest", ("otp",), (EmployeeRecordReceived,)),
        TopicSpec(MASTER_DATA, "entity type + code", "ingest", ("otp",), (MasterDataChanged,)),
        TopicSpec(
            CERTIFICATIONS,
            "employee id",
            "certification",
            ("otp",),
            (CertificationTookEffect, CertificationRevoked),
        ),
        TopicSpec(SMS_REQUESTS, "challenge id", "otp", ("notify",), (SmsRequested,)),
        TopicSpec(SMS_STATUS, "challenge id", "notify", ("otp",), (SmsStatusReported,)),
        TopicSpec(
            ELIGIBILITY_CHANGES, "employee id", "otp", ("portal", "reports"), (EligibilityChanged,)
        ),
    )
}

DEAD_LETTER_MODEL = DeadLetter


def all_models() -> list[type[BaseModel]]:
    """Every event model, once each, including the dead letter."""
    models: list[type[BaseModel]] = [m for spec in TOPICS.values() for m in spec.models]
    return [*models, DeadLetter]
