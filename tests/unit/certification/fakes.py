"""Hand-written in-memory fakes of the certification ports (unit tests only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from certification.domain import audit
from certification.domain.events import Event, needs_publishing
from certification.domain.model import Certification, State
from certification.ports import AuditRecord


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

    async def search(
        self,
        offices: Sequence[str] | None,
        state: State | None,
        employee_id: str | None,
        limit: int,
    ) -> list[Certification]:
        return [
            c
            for c in self.certs.values()
            if (offices is None or c.submission.office_code in offices)
            and (state is None or c.state == state)
            and (employee_id is None or c.submission.employee_id == employee_id)
        ][:limit]

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
