"""Pure rules of publishing: content hashes, the version decision, identity links, and
scrubbing rejected rows. No I/O; time and versions come in as arguments."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from ingest.ports import Stored
from servicekit.aadhaar import redact_fields

Outcome = Literal["publish", "unchanged", "stale"]

_AADHAAR_HEADER = re.compile(r"aadh?aa?r|\buid\b|^uid", re.IGNORECASE)


def version_of(as_of: datetime) -> int:
    """The source version of everything in an upload: its as-of time in ms since epoch."""
    return int(as_of.timestamp() * 1000)


def content_hash(fields: Mapping[str, Any]) -> str:
    """Stable digest of what a consumer would see (JSON with sorted keys)."""
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def event_id(key: str, version: int, digest: str) -> str:
    """The same fact always gets the same event id, so a repeated publish deduplicates."""
    return hashlib.sha256(f"{key}|{version}|{digest}".encode()).hexdigest()[:32]


def decide(stored: Stored | None, version: int, digest: str) -> Outcome:
    """Publish only what is newer than what is held AND different from it.

    Same content under a newer version is `unchanged` (the stored version still moves
    forward, so an older file arriving later is recognised as stale).
    """
    if stored is None:
        return "publish"
    if version <= stored.source_version:
        return "unchanged" if digest == stored.content_hash else "stale"
    return "unchanged" if digest == stored.content_hash else "publish"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def link_keys(
    name: str, date_of_birth: object, mobile: str | None, family_id: str | None
) -> list[str]:
    """Identity keys of a person: (Family ID, mobile) and (name, date of birth, Family ID)."""
    if not family_id:
        return []
    keys = [f"fm|{family_id}|{mobile}"] if mobile else []
    if name and date_of_birth:
        keys.append(f"nd|{_norm(name)}|{date_of_birth}|{family_id}")
    return keys


def source_of(employee_id: str) -> str:
    return employee_id.partition(":")[0]


def scrub_raw(raw: Mapping[str, str]) -> dict[str, str]:
    """A rejected row as kept and dead-lettered: Aadhaar/UID columns dropped and every
    Aadhaar-like number in the other values redacted (defence in depth: the parsers
    already did it; a mobile column may hold 91 + ten digits, which is kept)."""
    kept = {
        column: "" if value is None else str(value)
        for column, value in raw.items()
        if not _AADHAAR_HEADER.search(column)
    }
    return redact_fields(kept)[0]
