"""The only module of the certification service that knows MongoDB.

Each state change and its audit entry are written in one transaction (the local and
production mongod run as a replica set). The audit head document {seq, hash} is
rewritten by every append, so two concurrent appends conflict and the transaction is
retried rather than both claiming the same seq; it also reveals a removed tail. The head
exists from start-up on (seq 0), so no transaction creates the collection or the head.
An append that still meets a seq or head written meanwhile (a duplicate key, which the
driver does not retry) runs again on the new head: it is a conflict, not a refusal.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from gridfs import AsyncGridFSBucket
from gridfs.errors import NoFile
from pydantic import TypeAdapter
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from certification.domain import audit
from certification.domain.listing import Listing
from certification.domain.model import Certification, State
from certification.ports import AuditRecord

Write = Callable[[AsyncClientSession], Awaitable[bool]]
CHAIN_ATTEMPTS = 5  # transactions whose audit append met a seq taken meanwhile, in a row

log = logging.getLogger(__name__)


def _doc(cert: Certification) -> dict[str, Any]:
    return {"_id": cert.id, **cert.model_dump(mode="json", by_alias=True)}


def _cert(doc: dict[str, Any]) -> Certification:
    doc.pop("_id", None)
    return Certification.model_validate(doc)


def _offices(codes: Sequence[str]) -> dict[str, Any]:
    """Certified by one of these offices, or placed in one of them by the data."""
    wanted = {"$in": list(codes)}
    return {
        "$or": [
            {"submission.office_code": wanted},
            {"placement.ddo_code": wanted},
            {"placement.district_office_code": wanted},
        ]
    }


def _stamp(at: datetime) -> str:
    stamp: str = TypeAdapter(datetime).dump_python(at.astimezone(UTC), mode="json")
    return stamp


def _query(listing: Listing) -> dict[str, Any]:
    parts: list[dict[str, Any]] = []
    if listing.offices is not None:
        parts.append(_offices(listing.offices))
    if listing.office is not None:
        parts.append(_offices([listing.office]))
    if listing.department is not None:
        parts.append({"placement.department_code": listing.department})
    if listing.state is not None:
        parts.append({"state": listing.state})
    if listing.employee_id is not None:
        parts.append({"submission.employee_id": listing.employee_id})
    if listing.covers is not None:
        parts.append({"submission.covers": listing.covers})
    if listing.submitted_after is not None:
        parts.append({"submitted_at": {"$gt": _stamp(listing.submitted_after)}})
    if listing.submitted_before is not None:
        parts.append({"submitted_at": {"$lt": _stamp(listing.submitted_before)}})
    if listing.after is not None:
        at, cert_id = listing.after
        parts.append(
            {"$or": [{"submitted_at": {"$lt": at}}, {"submitted_at": at, "_id": {"$gt": cert_id}}]}
        )
    return {"$and": parts} if parts else {}


class MongoCertifications:
    """Certifications (`certifications`), the audit chain (`audit`, `audit_head`)."""

    def __init__(
        self, client: AsyncMongoClient[dict[str, Any]], db: AsyncDatabase[dict[str, Any]]
    ) -> None:
        self.client = client
        self.certs = db["certifications"]
        self.audit = db["audit"]
        self.head = db["audit_head"]

    async def ensure_indexes(self) -> None:
        await self.certs.create_index(
            [("submission.office_code", ASCENDING), ("submission.letter_number", ASCENDING)],
            unique=True,
            name="one_certification_per_letter",
        )
        await self.certs.create_index([("submission.employee_id", ASCENDING)])
        await self.certs.create_index([("state", ASCENDING), ("submitted_at", DESCENDING)])
        await self.certs.create_index([("submitted_at", DESCENDING), ("_id", ASCENDING)])
        await self.certs.create_index([("placement.ddo_code", ASCENDING)])
        await self.certs.create_index([("placement.department_code", ASCENDING)])
        await self.audit.create_index([("seq", ASCENDING)], unique=True, name="seq_unique")
        await self.head.update_one(
            {"_id": "head"}, {"$setOnInsert": {"seq": 0, "hash": audit.GENESIS}}, upsert=True
        )

    async def find(self, cert_id: str) -> Certification | None:
        doc = await self.certs.find_one({"_id": cert_id})
        return _cert(doc) if doc else None

    async def find_by_letter(self, office_code: str, letter_number: str) -> Certification | None:
        query = {"submission.office_code": office_code, "submission.letter_number": letter_number}
        doc = await self.certs.find_one(query)
        return _cert(doc) if doc else None

    async def search(self, listing: Listing) -> list[Certification]:
        query = _query(listing)
        cursor = self.certs.find(query).sort([("submitted_at", DESCENDING), ("_id", ASCENDING)])
        return [_cert(doc) async for doc in cursor.limit(listing.limit)]

    async def create(self, cert: Certification, record: AuditRecord) -> bool:
        async def write(session: AsyncClientSession) -> bool:
            await self.certs.insert_one(_doc(cert), session=session)
            await self._append(record, session)
            return True

        try:
            return await self._transaction(write)
        except DuplicateKeyError:
            return False

    async def update(self, cert: Certification, expected_version: int, record: AuditRecord) -> bool:
        async def write(session: AsyncClientSession) -> bool:
            fields = _doc(cert)
            fields.pop("_id")
            fields.pop("published_version")
            result = await self.certs.update_one(
                {"_id": cert.id, "version": expected_version}, {"$set": fields}, session=session
            )
            if result.matched_count != 1:
                return False
            await self._append(record, session)
            return True

        return await self._transaction(write)

    async def unpublished(self) -> list[Certification]:
        query = {
            "state": {"$in": ["effective", "revoked"]},
            "$expr": {"$lt": ["$published_version", "$version"]},
        }
        return [_cert(doc) async for doc in self.certs.find(query)]

    async def mark_published(self, cert_id: str, version: int) -> None:
        await self.certs.update_one(
            {"_id": cert_id, "published_version": {"$lt": version}},
            {"$set": {"published_version": version}},
        )

    async def count_by_state(self) -> dict[State, int]:
        pipeline = [{"$group": {"_id": "$state", "n": {"$sum": 1}}}]
        return {doc["_id"]: doc["n"] async for doc in await self.certs.aggregate(pipeline)}

    async def verify_audit(self) -> audit.Verdict:
        entries = [doc async for doc in self.audit.find({}, {"_id": 0}).sort("seq", ASCENDING)]
        return audit.verify(entries, await self.head.find_one({"_id": "head"}))

    async def _transaction(self, write: Write) -> bool:
        attempt = 1
        while True:
            try:
                async with self.client.start_session() as session:
                    return await session.with_transaction(write)
            except DuplicateKeyError as error:
                if attempt == CHAIN_ATTEMPTS or not self._chain_taken(error):
                    raise
                log.warning("audit append met a seq taken meanwhile; attempt %d again", attempt)
                attempt += 1

    def _chain_taken(self, error: DuplicateKeyError) -> bool:
        """The duplicate key is the audit chain's (an entry's seq, the head), not the
        certification's own (its id, its letter)."""
        message = str((error.details or {}).get("errmsg", error))
        return any(f"collection: {c.full_name} index" in message for c in (self.audit, self.head))

    async def _append(self, record: AuditRecord, session: AsyncClientSession) -> None:
        head = await self.head.find_one({"_id": "head"}, session=session)
        if head is None:
            raise RuntimeError("the audit head is missing (written by ensure_indexes at start)")
        seq, prev = head["seq"], head["hash"]
        entry = audit.chain(
            seq,
            prev,
            at=record.at.isoformat(),
            actor=record.actor,
            role=record.role,
            action=record.action,
            certification_id=record.certification_id,
            details=record.details,
        )
        await self.audit.insert_one(entry, session=session)
        await self.head.update_one(
            {"_id": "head"},
            {"$set": {"seq": entry["seq"], "hash": entry["hash"]}},
            session=session,
        )


class GridFsLetters:
    """Scanned letters in the `letters` GridFS bucket, with their SHA-256 in metadata."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.bucket = AsyncGridFSBucket(db, bucket_name="letters")

    async def put(self, data: bytes, filename: str, sha256: str) -> str:
        file_id = await self.bucket.upload_from_stream(
            filename, data, metadata={"sha256": sha256, "content_type": "application/pdf"}
        )
        return str(file_id)

    async def get(self, file_id: str) -> bytes | None:
        try:
            stream = await self.bucket.open_download_stream(ObjectId(file_id))
        except (NoFile, InvalidId):
            return None
        data: bytes = await stream.read()
        return data

    async def delete(self, file_id: str) -> None:
        try:
            await self.bucket.delete(ObjectId(file_id))
        except NoFile:
            return
