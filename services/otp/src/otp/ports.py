"""What the OTP use cases need from the outside world."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from contracts.envelope import Envelope
from contracts.ingest import MasterDataChanged
from otp.domain.challenge import Admitted, Challenge, Delivery, Held
from otp.domain.lookup import Lookup, SendGuard, ToVerify
from otp.domain.refusal import Refusal
from otp.domain.report import BlockedPerson, Filter, OfficeBlocked, PartReadiness
from otp.domain.view import EmployeeView


class MasterDataStore(Protocol):
    """Portal master data (departments, offices, posts, DDOs) as the OTP service sees it."""

    async def apply(self, event: MasterDataChanged) -> bool:
        """Store the entity unless a newer version is held; True when it changed."""
        ...

    async def department_offices(self, department: str) -> set[str]:
        """The active offices of the department and the DDOs of those offices."""
        ...


class ViewStore(Protocol):
    """One eligibility view per employee, written with optimistic concurrency."""

    async def get(self, employee_id: str) -> EmployeeView | None: ...

    async def save(self, view: EmployeeView, expected_version: int) -> bool:
        """Write if the stored view is still at `expected_version` (0: absent)."""
        ...

    async def get_many(self, employee_ids: Sequence[str]) -> dict[str, EmployeeView]:
        """The views held for these employees (absent ones are left out), in one read."""
        ...

    async def save_many(self, writes: Sequence[tuple[EmployeeView, int]]) -> set[str]:
        """`save` for many views in one bulk write; the ids of the views written (a view
        whose stored version moved on meanwhile is not)."""
        ...

    async def mark_published_many(self, versions: dict[str, int]) -> None: ...


class PortalReads(Protocol):
    """The reads of the portal's calls, each merged into one round trip."""

    async def candidates(
        self,
        family_id: str,
        mobile: str,
        counted: Sequence[str],
        window_seconds: int,
        now: datetime,
    ) -> Lookup:
        """The views of the typed Family ID and of the typed mobile, and the most refusals
        counted against any of the keys `counted` in the current window."""
        ...

    async def challenge(self, challenge_id: str) -> ToVerify | None:
        """The challenge, the view it is checked against, and the employee's wrong codes."""
        ...


class RefusalLog(Protocol):
    """Every recorded portal refusal, as a fact (masked values only)."""

    async def add(self, refusal: Refusal) -> None: ...


class ChallengeStore(Protocol):
    """OTP challenges; every state change is a conditional, atomic update."""

    async def live_or_new(self, challenge: Challenge, now: datetime) -> Challenge:
        """The employee's live challenge to the same mobile, its send number counted up by
        one (a re-send); or, when none is live, `challenge` stored with send number 1."""
        ...

    async def invalidate_others(self, challenge: Challenge) -> None:
        """Invalidate the employee's other active challenges (sent to another mobile)."""
        ...

    async def invalidate(self, bindings: Mapping[str, str | None]) -> None:
        """For each employee id, invalidate the active challenges not bound to the given
        mobile key (all of them for None): the view's mobile changed or its gate closed."""
        ...

    async def get(self, challenge_id: str) -> Challenge | None: ...

    async def add_attempt(self, challenge_id: str, max_attempts: int) -> Challenge | None:
        """Count one wrong code; lock the challenge at `max_attempts`. None if not active."""
        ...

    async def use(self, challenge_id: str) -> bool:
        """Active -> verified, once: False when someone else used or locked it first."""
        ...

    async def lock_all(self, employee_id: str) -> None: ...

    async def set_deliveries(self, deliveries: Sequence[tuple[str, Delivery, int]]) -> None:
        """For each (challenge id, delivery, status version), set the delivery unless a
        newer status is held: in one bulk write, in any order."""
        ...


class Guards(Protocol):
    """Rate limits and brute-force locks, shared by every OTP service instance."""

    async def allow(self, key: str, limit: int, window_seconds: int, now: datetime) -> int | None:
        """`hit` for a busy key (a portal client): the count may be claimed a share at a
        time and spent in the process; what is let through never passes `limit`."""
        ...

    async def hit(self, key: str, limit: int, window_seconds: int, now: datetime) -> int | None:
        """Count one use of `key`; seconds to wait when over `limit` in the window."""
        ...

    async def unhit(self, key: str, window_seconds: int, now: datetime) -> None:
        """Take back one use of `key` counted by a `hit` whose call was refused otherwise."""
        ...

    async def admit_send(
        self,
        employee_id: str,
        limit: int,
        window_seconds: int,
        cooldown: int,
        now: datetime,
        sent_to: str,
        live_seconds: int,
    ) -> tuple[Held, int] | Admitted:
        """Unless the employee is locked or was sent to less than `cooldown` seconds ago,
        count one send to them in the window, to the mobile with keyed hash `sent_to`; why
        not and the seconds to wait when locked, cooling down or over `limit`. Admitted, it
        says whether an earlier challenge (sent less than `live_seconds` ago) may be live
        for another mobile."""
        ...

    async def send_as_read(
        self,
        employee_id: str,
        read: SendGuard,
        limits: tuple[int, int],
        window_seconds: int,
        cooldown: int,
        now: datetime,
        sent_to: str,
        live_seconds: int,
    ) -> tuple[tuple[Held, int] | Admitted, int | None] | None:
        """`admit_send` and `hit` of the mobile `sent_to` (`limits`: per employee, per
        mobile) in one round trip, decided on the employee's guard as read with the
        request's look-up: the admission and the mobile's wait, or None (nothing counted)
        when the guard changed since it was read; then `admit_send` and `hit` decide."""
        ...

    async def count_refusal(
        self, keys: Sequence[str], window_seconds: int, now: datetime
    ) -> list[int]:
        """Count one refusal against each key in the current window; the counts after."""
        ...

    async def add_failure(
        self, employee_id: str, threshold: int, first_lock: int, longest_lock: int, now: datetime
    ) -> bool:
        """Count a wrong code for the employee across challenges; True when it locks them."""
        ...

    async def clear_failures(self, employee_id: str) -> None:
        """Forget the employee's wrong codes (a verified code proves the holder); the
        count of past locks, which doubles the next one, is kept."""
        ...


class ReportStore(Protocol):
    """Reconciliation reports over the eligibility views, restricted to a filter's scope."""

    async def blocked_by_office(self, report: Filter) -> list[OfficeBlocked]:
        """Blocked people per department and DDO, counted per gate reason code."""
        ...

    async def readiness(self) -> list[PartReadiness]:
        """Per source part: total, gate open, blocked per reason, eligibility statuses."""
        ...

    def blocked_people(self, report: Filter) -> AsyncIterator[BlockedPerson]:
        """Every blocked person in the filter, ordered by DDO then employee id."""
        ...


class Publisher(Protocol):
    async def __call__(self, topic: str, event: Envelope) -> None: ...


class ManyPublisher(Protocol):
    """Publish events together; returns once Kafka holds every one of them."""

    async def __call__(self, topic: str, events: Sequence[Envelope]) -> None: ...
