"""Hand-written in-memory fakes of the certification ports (unit tests only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from certification.domain import audit
from certification.domain.events import Event, needs_publishing
from certification.domain.listing import Listing
from certification.domain.model import Certification, Placement, State
from certification.ports import AuditRecord
from contracts.ingest import EmployeeRecordReceived, MasterDataChanged


class FakeStore:
    def __init__(self) -> None:
        self.certs: dict[str, Certification] = {}
        self.audit: list[dict[str, Any]] = []

    async def find(self, cert_id: str) -> Certification | None:
        return self.certs.get(cert_id)

    async def find_by_letter(self, office_code: str, letter_number: str) -> Certification | None:
        for cert in self.certs.values():
            sub = cert.submission
            if (sub.office_code, sub.letter_number) == (office_code, letter_number):
                return cert
        return None

    async def search(self, listing: Listing) -> list[Certification]:
        offices, state, employee_id = listing.offices, listing.state, listing.employee_id
        return [
            c
            for c in self.certs.values()
            if (offices is None or c.submission.office_code in offices)
            and (state is None or c.state == state)
            and (employee_id is None or c.submission.employee_id == employee_id)
        ][: listing.limit]

    async def create(self, cert: Certification, record: AuditRecord) -> bool:
        sub = cert.submission
        if await self.find_by_letter(sub.office_code, sub.letter_number):
            return False
        self.certs[cert.id] = cert
        self._append(record)
        return True

    async def update(self, cert: Certification, expected_version: int, record: AuditRecord) -> bool:
        stored = self.certs[cert.id]
        if stored.version != expected_version:
            return False
        self.certs[cert.id] = cert.model_copy(
            update={"published_version": stored.published_version}
        )
        self._append(record)
        return True

    async def unpublished(self) -> list[Certification]:
        return [c for c in self.certs.values() if needs_publishing(c)]

    async def mark_published(self, cert_id: str, version: int) -> None:
        cert = self.certs[cert_id]
        if cert.published_version < version:
            self.certs[cert_id] = cert.model_copy(update={"published_version": version})

    async def verify_audit(self) -> audit.Verdict:
        return audit.verify(self.audit, None)

    async def count_by_state(self) -> dict[State, int]:
        counts: dict[State, int] = {}
        for cert in self.certs.values():
            counts[cert.state] = counts.get(cert.state, 0) + 1
        return counts

    def _append(self, record: AuditRecord) -> None:
        seq, prev = (
            (self.audit[-1]["seq"], self.audit[-1]["hash"]) if self.audit else (0, audit.GENESIS)
        )
        self.audit.append(
            audit.chain(
                seq,
                prev,
                at=record.at.isoformat(),
                actor=record.actor,
                role=record.role,
                action=record.action,
                certification_id=record.certification_id,
                details=record.details,
            )
        )


class FakeLetters:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    async def put(self, data: bytes, filename: str, sha256: str) -> str:
        file_id = f"f{len(self.files) + 1}"
        self.files[file_id] = data
        return file_id

    async def get(self, file_id: str) -> bytes | None:
        return self.files.get(file_id)

    async def delete(self, file_id: str) -> None:
        self.files.pop(file_id, None)


class FlakyPublisher:
    """Refuses to publish while `down` is set, as Kafka would when unreachable."""

    def __init__(self) -> None:
        self.down = False
        self.sent: list[Event] = []

    async def publish(self, event: Event) -> None:
        if self.down:
            raise ConnectionError("Kafka unreachable")
        self.sent.append(event)


class FakeDirectory:
    """Placements set by the test; with `default_office`, any other employee is placed
    there (for tests about something else than scope)."""

    def __init__(self, default_office: str | None = None) -> None:
        self.default_office = default_office
        self.placed: dict[str, Placement] = {}
        self.departments: dict[str, set[str]] = {}

    def place(self, employee_id: str, office: str, department: str | None = None) -> None:
        self.placed[employee_id] = Placement(
            employee_id=employee_id,
            source="ebilling",
            office_code=office,
            ddo_code=office,
            department_code=department,
            mobile_masked="98******10",
            source_version=1,
        )

    async def apply_record(self, event: EmployeeRecordReceived) -> bool:
        raise NotImplementedError

    async def apply_records(self, events: Sequence[EmployeeRecordReceived]) -> int:
        raise NotImplementedError

    async def apply_master(self, event: MasterDataChanged) -> bool:
        raise NotImplementedError

    async def placement(self, employee_id: str) -> Placement | None:
        if employee_id not in self.placed and self.default_office is not None:
            self.place(employee_id, self.default_office)
        return self.placed.get(employee_id)

    async def placements(self, employee_ids: Sequence[str]) -> dict[str, Placement]:
        return {i: self.placed[i] for i in employee_ids if i in self.placed}

    async def department_offices(self, department: str) -> set[str]:
        return self.departments.get(department, set())
