"""The tamper-evident audit trail: each entry carries the hash of the one before.

hash = SHA-256 of the canonical JSON (sorted keys, no spaces) of the entry without its
own `hash`, which includes `prev_hash`. Changing, removing or reordering any entry breaks
the chain from that point; the head record (last seq and hash) catches a removed tail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(entry: Mapping[str, Any]) -> bytes:
    body = {key: value for key, value in entry.items() if key not in ("hash", "_id")}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def chain(
    prev_seq: int,
    prev_hash: str,
    *,
    at: str,
    actor: str,
    role: str,
    action: str,
    certification_id: str,
    details: Mapping[str, Any],
) -> dict[str, Any]:
    """The next entry after (`prev_seq`, `prev_hash`), with its hash."""
    entry: dict[str, Any] = {
        "seq": prev_seq + 1,
        "at": at,
        "actor": actor,
        "role": role,
        "action": action,
        "certification_id": certification_id,
        "details": dict(details),
        "prev_hash": prev_hash,
    }
    entry["hash"] = digest(entry)
    return entry


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None


def verify(entries: Iterable[Mapping[str, Any]], head: Mapping[str, Any] | None) -> Verdict:
    """Walk the entries in seq order; name the first one altered or removed."""
    expected_seq, prev_hash, count = 1, GENESIS, 0
    for entry in entries:
        seq = entry.get("seq")
        if seq != expected_seq:
            return Verdict(False, count, expected_seq, f"entry {expected_seq} is missing")
        if entry.get("prev_hash") != prev_hash:
            why = f"entry {seq} does not follow entry {seq - 1} (prev_hash differs)"
            return Verdict(False, count, seq, why)
        if entry.get("hash") != digest(entry):
            return Verdict(False, count, seq, f"entry {seq} was altered (hash mismatch)")
        expected_seq, prev_hash, count = expected_seq + 1, str(entry["hash"]), count + 1
    last = expected_seq - 1
    if head is not None and (head.get("seq"), head.get("hash")) != (last, prev_hash):
        head_seq = int(head.get("seq", 0))
        if head_seq > last:
            return Verdict(False, count, last + 1, f"entries {last + 1}..{head_seq} are missing")
        return Verdict(False, count, last, f"entry {last} does not match the recorded head")
    return Verdict(True, count)
