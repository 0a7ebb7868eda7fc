"""What the certification use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from certification.domain.audit import Verdict
from certification.domain.events import Event
from certification.domain.listing import Listing
from certification.domain.model import Certification, Placement, State
from certification.domain.placed import Placeable
from contracts.ingest import MasterDataChanged


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

    async def search(self, listing: Listing) -> list[Certification]:
        """Newest first (submitted_at descending, id ascending), after `listing.after`."""
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


class EmployeeDirectory(Protocol):
    """This service's own view of the source data: where each employee is placed
    (`employee-records.v1`) and which offices make up a department (`master-data.v1`).
    Writes are guarded by the event's source version: replays and older events change
    nothing."""

    async def apply_record(self, event: Placeable) -> bool:
        """Store the employee's placement; False when the event was stale or a duplicate."""
        ...

    async def apply_records(self, events: Sequence[Placeable]) -> int:
        """`apply_record` for a batch in one write; how many took effect."""
        ...

    async def apply_master(self, event: MasterDataChanged) -> bool:
        """Store a department, office or DDO; False when stale or a duplicate."""
        ...

    async def placement(self, employee_id: str) -> Placement | None:
        """Where the data places the employee, or None when no source holds them."""
        ...

    async def placements(self, employee_ids: Sequence[str]) -> dict[str, Placement]:
        """Placements of those employees the data holds."""
        ...

    async def department_offices(self, department: str) -> set[str]:
        """The active offices of the department and the DDOs of those offices."""
        ...
