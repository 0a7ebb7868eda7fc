"""What the OTP use cases need from the outside world."""

from __future__ import annotations

from typing import Protocol

from contracts.ingest import MasterDataChanged


class MasterDataStore(Protocol):
    """Portal master data (departments, offices, posts, DDOs) as the OTP service sees it."""

    async def apply(self, event: MasterDataChanged) -> bool:
        """Store the entity unless a newer version is held; True when it changed."""
        ...
