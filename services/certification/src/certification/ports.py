"""What the certification use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from certification.domain.audit import Verdict
from certification.domain.events import Event
from certification.domain.model import Certification, State


@dataclass(frozen=True)
class AuditRecord:
    """What happened, by whom; the store chains it (seq, prev_hash, hash) on write."""

    at: datetime
    actor: str
    role: str
    action: str
    certification_id: str
    details: dict[str, Any]


class CertificationStore(Protocol):
    """Certifications and their audit trail. Every write appends its audit entry
    atomically with the state change, so the trail never misses or invents an action."""

    async def find(self, cert_id: str) -> Certification | None:
        """The certification, or None."""
        ...

    async def find_by_letter(self, office_code: str, letter_number: str) -> Certification | None:
        """The certification made by this letter of this office, or None."""
        ...

    async def search(
        self,
        offices: Sequence[str] | None,
        state: State | None,
        employee_id: str | None,
        limit: int,
    ) -> list[Certification]:
        """Newest first; `offices=None` means every office."""
        ...

    async def create(self, cert: Certification, audit: AuditRecord) -> bool:
        """Insert; False (nothing written) when the office already used this letter number."""
        ...

    async def update(self, cert: Certification, expected_version: int, audit: AuditRecord) -> bool:
        """Replace if the stored version is still `expected_version`; False otherwise."""
        ...

    async def unpublished(self) -> list[Certification]:
        """Certifications whose current event has not been confirmed published."""
        ...

    async def mark_published(self, cert_id: str, version: int) -> None:
        """Record that the event of `version` reached Kafka (never moves backwards)."""
        ...

    async def verify_audit(self) -> Verdict:
        """Check the whole chain; name the first entry altered or removed."""
        ...

    async def count_by_state(self) -> dict[State, int]:
        """How many certifications are in each state (states with none are left out)."""
        ...


class LetterStore(Protocol):
    """Scanned letters (PDF), stored by content with their SHA-256."""

    async def put(self, data: bytes, filename: str, sha256: str) -> str:
        """Store and return the file id."""
        ...

    async def get(self, file_id: str) -> bytes | None:
        """The stored bytes, or None."""
        ...

    async def delete(self, file_id: str) -> None:
        """Remove an upload that no certification refers to."""
        ...


class EventPublisher(Protocol):
    """Publishes to `certifications.v1` under the employee id; raises when not acknowledged."""

    async def publish(self, event: Event) -> None: ...
