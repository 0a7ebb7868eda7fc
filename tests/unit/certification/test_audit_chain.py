"""The hash chain names the first entry altered, removed or out of place."""

from __future__ import annotations

from typing import Any

from certification.domain import audit


def _chain(length: int) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    seq, prev = 0, audit.GENESIS
    for n in range(length):
        entry = audit.chain(
            seq,
            prev,
            at=f"2026-03-01T10:00:0{n}+00:00",
            actor="hrd-desk",
            role="hrd",
            action="advise",
            certification_id=f"c{n}",
            details={"version": n + 1, "covers": ["mobile_changed"]},
        )
        entries.append(entry)
        seq, prev = entry["seq"], entry["hash"]
    return entries


def _head(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"seq": entries[-1]["seq"], "hash": entries[-1]["hash"]}


def test_an_untouched_chain_verifies() -> None:
    entries = _chain(4)

    assert audit.verify(entries, _head(entries)) == audit.Verdict(True, 4)


def test_a_changed_detail_is_named_as_altered() -> None:
    entries = _chain(4)
    head = _head(entries)
    entries[1]["details"]["version"] = 99

    verdict = audit.verify(entries, head)

    assert (verdict.ok, verdict.first_bad_seq) == (False, 2)
    assert verdict.problem == "entry 2 was altered (hash mismatch)"


def test_an_entry_rehashed_after_editing_breaks_the_next_link() -> None:
    entries = _chain(4)
    head = _head(entries)
    entries[1]["actor"] = "intruder"
    entries[1]["hash"] = audit.digest(entries[1])

    verdict = audit.verify(entries, head)

    assert verdict.first_bad_seq == 3
    assert "prev_hash differs" in (verdict.problem or "")


def test_a_removed_entry_is_named_as_missing() -> None:
    entries = _chain(4)
    head = _head(entries)
    del entries[2]

    verdict = audit.verify(entries, head)

    assert (verdict.first_bad_seq, verdict.problem) == (3, "entry 3 is missing")


def test_a_removed_tail_is_caught_by_the_head() -> None:
    entries = _chain(4)
    head = _head(entries)

    verdict = audit.verify(entries[:2], head)

    assert (verdict.first_bad_seq, verdict.problem) == (3, "entries 3..4 are missing")


def test_the_hash_covers_the_previous_hash() -> None:
    first = _chain(1)[0]
    moved = {**first, "prev_hash": "f" * 64}

    assert audit.digest(moved) != first["hash"]
