"""Per-SMS work done a batch at a time: calls made together share one write, each caller
still gets its own result (or its write's failure), and publishes inside a batch are all
acknowledged before the batch is over."""

from __future__ import annotations

import asyncio

import pytest

from notify.batching import Coalescer, confirmed_later, later_confirmed


class Writes:
    def __init__(self, fail: bool = False, pause: float = 0.0) -> None:
        self.calls: list[list[int]] = []
        self.fail, self.pause = fail, pause

    async def __call__(self, items: list[int]) -> list[int]:
        self.calls.append(items)
        await asyncio.sleep(self.pause)
        if self.fail:
            raise ConnectionError("mongod went away")
        return [item * 10 for item in items]


async def test_calls_made_together_share_one_write_and_each_gets_its_own_result() -> None:
    writes = Writes()
    coalescer = Coalescer(writes)
    results = await asyncio.gather(*(coalescer.submit(i) for i in range(50)))
    assert results == [i * 10 for i in range(50)]
    assert writes.calls == [list(range(50))]


async def test_calls_made_while_a_write_runs_go_in_the_next_write_not_one_each() -> None:
    writes = Writes(pause=0.05)
    coalescer = Coalescer(writes)
    first = asyncio.create_task(coalescer.submit(0))
    await asyncio.sleep(0.01)  # the first write is under way
    later = [asyncio.create_task(coalescer.submit(i)) for i in range(1, 8)]
    assert await first == 0
    assert await asyncio.gather(*later) == [i * 10 for i in range(1, 8)]
    assert writes.calls == [[0], list(range(1, 8))]


async def test_a_write_takes_at_most_max_items() -> None:
    writes = Writes()
    coalescer = Coalescer(writes, max_items=4)
    await asyncio.gather(*(coalescer.submit(i) for i in range(10)))
    assert writes.calls == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


async def test_a_failed_write_fails_each_of_its_callers_and_the_next_write_still_runs() -> None:
    writes = Writes(fail=True)
    coalescer = Coalescer(writes)
    results = await asyncio.gather(*(coalescer.submit(i) for i in range(3)), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)
    writes.fail = False
    assert await coalescer.submit(7) == 70


async def test_outside_a_batch_a_publish_waits_for_its_acknowledgement() -> None:
    acknowledged = asyncio.get_running_loop().create_future()
    waiter = asyncio.create_task(confirmed_later(acknowledged))
    await asyncio.sleep(0.01)
    assert not waiter.done()
    acknowledged.set_result("offset 1")
    await waiter


async def test_inside_a_batch_publishes_are_not_awaited_one_by_one_but_all_on_leaving() -> None:
    loop = asyncio.get_running_loop()
    acks = [loop.create_future() for _ in range(3)]
    left = False

    async def batch() -> None:
        nonlocal left
        async with later_confirmed() as pending:
            # publishes from tasks the batch starts count in the batch too
            await asyncio.gather(*(confirmed_later(ack) for ack in acks))
            assert len(pending) == 3
        left = True

    task = asyncio.create_task(batch())
    await asyncio.sleep(0.01)
    assert not left, "the batch may not end before its publishes are acknowledged"
    for ack in acks:
        ack.set_result(None)
    await task
    assert left


async def test_a_publish_the_broker_refused_fails_the_batch() -> None:
    loop = asyncio.get_running_loop()
    good, refused = loop.create_future(), loop.create_future()
    good.set_result(None)
    refused.set_exception(RuntimeError("broker refused the record"))

    async def batch() -> None:
        async with later_confirmed():
            await confirmed_later(good)
            await confirmed_later(refused)

    with pytest.raises(RuntimeError, match="refused"):
        await batch()


async def test_a_failure_inside_a_batch_is_raised_after_its_publishes_are_awaited() -> None:
    ack = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_later(0.02, ack.set_result, None)

    async def batch() -> None:
        async with later_confirmed():
            await confirmed_later(ack)
            raise ValueError("gateway adapter bug")

    with pytest.raises(ValueError, match="gateway"):
        await batch()
    assert ack.done()
