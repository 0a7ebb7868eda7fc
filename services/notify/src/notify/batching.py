"""Doing per-SMS work a batch at a time, without changing what each SMS waits for.

- `Coalescer`: calls made while a write is under way are gathered and written together in
  the next one (group commit). A caller still waits for its own item to be written, so a
  send is recorded as soon as one bulk write allows, never later than the one after.
- `later_confirmed`: inside it, publishes are handed to the producer without waiting for
  the broker's acknowledgement one by one; leaving it waits for all of them and raises the
  first failure, so a batch's offsets are committed only after every status it published
  is acknowledged. Outside it a publish waits for its own acknowledgement.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Coalescer(Generic[Item, Result]):
    """`submit(item)` returns `write(items)[i]` for its item, `items` being every item
    submitted while the previous write ran (up to `max_items`). No item waits for a timer:
    an idle coalescer writes on the next turn of the event loop."""

    def __init__(
        self, write: Callable[[list[Item]], Awaitable[Sequence[Result]]], max_items: int = 500
    ) -> None:
        self.write, self.max_items = write, max_items
        self.queued: list[tuple[Item, asyncio.Future[Result]]] = []
        self.writer: asyncio.Task[None] | None = None
        self.writes = 0  # bulk writes made (for tests and metrics)

    async def submit(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self.queued.append((item, future))
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self.queued:
            taken, self.queued = self.queued[: self.max_items], self.queued[self.max_items :]
            self.writes += 1
            try:
                results = await self.write([item for item, _ in taken])
            except Exception as error:  # each caller gets the failure of its own write
                for _, future in taken:
                    if not future.done():
                        future.set_exception(error)
                continue
            except BaseException:  # cancelled (shutting down): no caller waits forever
                for _, future in [*taken, *self.queued]:
                    future.cancel()
                self.queued = []
                raise
            for (_, future), result in zip(taken, results, strict=True):
                if not future.done():  # a caller cancelled meanwhile: its item was written
                    future.set_result(result)


_pending: ContextVar[list[Awaitable[object]] | None] = ContextVar("pending_publishes", default=None)


async def confirmed_later(confirmation: Awaitable[object]) -> None:
    """Wait for `confirmation` now, or, inside `later_confirmed`, when it is left."""
    pending = _pending.get()
    if pending is None:
        await confirmation
    else:
        pending.append(confirmation)


@asynccontextmanager
async def later_confirmed() -> AsyncIterator[list[Awaitable[object]]]:
    """Publishes inside (in this task and the tasks it starts) are confirmed on leaving:
    all of them are awaited, then the first failure is raised. An exception from inside
    is raised after the confirmations were awaited (none is left unobserved)."""
    pending: list[Awaitable[object]] = []
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)
        results = await asyncio.gather(*pending, return_exceptions=True)
    if failure := next((r for r in results if isinstance(r, BaseException)), None):
        raise failure
