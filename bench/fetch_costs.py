"""`python -m bench.fetch_costs`: what a bare aiokafka consumer spends per message while
messages trickle in, and per second while its topic is idle, for each way of letting a
batch fill (`servicekit.batches.held_fetch`, "Fetches held at the broker" in
docs/benchmarks.md).

Modes (`--modes`, comma-separated): `held:N`, the broker holds each fetch for `--min-bytes`
or N ms; `linger:N`, fetches answered once one byte is there and the batch topped up by
`getmany` for N ms after its first message (the client-side linger the services used
before). Each mode gets a topic of its own; its consumer joins, is left idle for `--idle`
seconds, then takes `--seconds` of messages that a publisher process sends at `--rate` a
second (600 bytes, an SMS request's size), committing after each batch of up to 64.
Against the local servers (`deploy/local/servers.py up`):

    uv run python -m bench.fetch_costs [--modes linger:20,held:20,held:50] [--rate 170]

The topics it made stay (named `bench-fetch-...`). Figures go to stdout."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from collections.abc import Iterable
from itertools import chain

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from servicekit.batches import held_fetch

BATCH = 64
BODY = b"x" * 600


async def publish_at(
    kafka: str, topic: str, messages: Iterable[tuple[bytes, bytes]], rate: float
) -> None:
    """Each (key, value) of `messages` sent to `topic`, message i due `i / rate` seconds
    after the start (idempotent, acks=all), and every one acknowledged before returning."""
    producer = AIOKafkaProducer(bootstrap_servers=kafka, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        start, pending = time.perf_counter(), []
        for i, (key, value) in enumerate(messages):
            if (wait := start + i / rate - time.perf_counter()) > 0:
                await asyncio.sleep(wait)
            pending.append(await producer.send(topic, value, key=key))
        await asyncio.gather(*pending)
    finally:
        await producer.stop()


async def take(consumer: AIOKafkaConsumer, linger_ms: int) -> int:
    """One batch: what `getmany` gives, topped up for `linger_ms` (client-side linger)."""
    got = list(
        chain.from_iterable((await consumer.getmany(timeout_ms=1000, max_records=BATCH)).values())
    )
    deadline = time.monotonic() + linger_ms / 1000
    while got and len(got) < BATCH and (left := deadline - time.monotonic()) > 0:
        more = await consumer.getmany(
            timeout_ms=max(1, int(left * 1000)), max_records=BATCH - len(got)
        )
        got += chain.from_iterable(more.values())
    return len(got)


async def one_mode(args: argparse.Namespace, mode: str) -> tuple[float, float, float]:
    """(idle CPU ms a second, CPU ms per message, messages per batch) of one mode."""
    kind, _, ms = mode.partition(":")
    held = held_fetch(args.min_bytes, int(ms)) if kind == "held" else held_fetch(1, 0)
    linger = int(ms) if kind == "linger" else 0
    topic = f"bench-fetch-{uuid.uuid4().hex[:8]}"
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=args.kafka,
        group_id=f"{topic}.group",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        **held,
    )
    await consumer.start()
    try:
        await asyncio.sleep(2)  # joined, its first fetches out
        cpu = time.process_time()
        await asyncio.sleep(args.idle)
        idle = (time.process_time() - cpu) / args.idle
        count = int(args.rate * args.seconds)
        publisher = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.fetch_costs", "--publish", topic,
            *("--kafka", args.kafka, "--rate", str(args.rate), "--seconds", str(args.seconds)),
        )  # fmt: skip
        cpu, got, batches = time.process_time(), 0, 0
        deadline = time.monotonic() + args.seconds + 60
        while got < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{got} of {count} messages taken in {args.seconds + 60} s")
            if taken := await take(consumer, linger):
                got, batches = got + taken, batches + 1
                await consumer.commit()
        busy = time.process_time() - cpu
        if await publisher.wait():
            raise RuntimeError("the publisher failed")
    finally:
        await consumer.stop()
    return idle * 1000, busy * 1000 / count, count / batches


async def main(args: argparse.Namespace) -> dict[str, tuple[float, float, float]]:
    return {mode: await one_mode(args, mode) for mode in args.modes}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.fetch_costs", description=__doc__)
    parser.add_argument("--kafka", default="127.0.0.1:19092")
    parser.add_argument(
        "--modes", type=lambda v: v.split(","), default=["linger:20", "held:20", "held:50"]
    )
    parser.add_argument("--rate", type=float, default=170.0, help="messages a second")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds idle before")
    parser.add_argument("--min-bytes", type=int, default=32 * 1024)
    parser.add_argument("--publish", metavar="TOPIC", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse()
    if arguments.publish:
        count = int(arguments.rate * arguments.seconds)
        messages = ((str(i).encode(), BODY) for i in range(count))
        asyncio.run(publish_at(arguments.kafka, arguments.publish, messages, arguments.rate))
    else:
        print(f"{'mode':>10s} {'idle ms/s':>10s} {'ms/message':>11s} {'per batch':>10s}")
        for mode, (idle, per, size) in asyncio.run(main(arguments)).items():
            print(f"{mode:>10s} {idle:10.1f} {per:11.3f} {size:10.1f}")
