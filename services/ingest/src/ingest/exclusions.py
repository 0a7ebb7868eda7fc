"""The Act's exclusions for Part-II, from master data: an e-Billing draft is engaged under
a centrally sponsored scheme when the latest month's pay came from a head master data
classifies `centrally_sponsored`, and part-time when its post is classified `part_time`.

e-Billing itself records neither. A head or post master data does not classify leaves the
draft as it is (state, full-time); the completeness report names such heads. Master data
is read as held when the file is ingested: load it before the e-Billing export.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.domain.model import EmployeeDraft
from ingest.ports import VersionedStore


async def classify(drafts: Sequence[EmployeeDraft], master: VersionedStore) -> list[EmployeeDraft]:
    """e-Billing drafts with `scheme` and `employment` from master data; others unchanged."""
    wanted = {f"head:{h}" for d in drafts if d.source == "ebilling" for h in d.heads_of_account}
    wanted |= {f"post:{d.post_code}" for d in drafts if d.source == "ebilling" and d.post_code}
    if not wanted:
        return list(drafts)
    held = await master.load(sorted(wanted))

    def value(key: str, field: str) -> object:
        stored = held.get(key)
        return stored.record.get(field) if stored and stored.record.get("active", True) else None

    classified = []
    for draft in drafts:
        if draft.source != "ebilling":
            classified.append(draft)
            continue
        css = any(
            value(f"head:{h}", "funding") == "centrally_sponsored" for h in draft.heads_of_account
        )
        part_time = value(f"post:{draft.post_code}", "employment") == "part_time"
        update = {"scheme": "centrally_sponsored"} if css else {}
        if part_time:
            update["employment"] = "part_time"
        # most drafts stay as they are: a copy only for those master data reclassifies
        classified.append(draft.model_copy(update=update) if update else draft)
    return classified
