"""`python -m bench.status_costs`: the CPU time one SMS delivery status costs the OTP
service, mongod and Kafka, for each batch linger of the OTP service's status consumer
(`OTP_STATUS_LINGER_MS`).

Notify reports two statuses for every SMS ("sent", then "delivered"); during a burst they
arrive at twice the request rate. For each linger in `--lingers`, in `--rounds` that
alternate them, the OTP app is built as the service builds it (`otp.app.create_app`, its
lifespan run, its consumer groups at the end of their topics) on a database of its own
holding `--count` / 2 challenges; a publisher in a process of its own (`--publish`, so
that its CPU is not counted as the service's) sends their statuses to `sms-status` at
`--rate` a second, and the run ends once every challenge reads "delivered". The CPU of
this process (`time.process_time`), of mongod and of Kafka (the processes listening on
their ports) over that time is divided by the statuses. Against the local servers
(`deploy/local/servers.py up`):

    uv run python -m bench.status_costs [--lingers 20,100] [--rate 340] [--count 4000]

The databases it made are dropped after. Figures go to stdout: they carry no target."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from pymongo import AsyncMongoClient

from bench.command_costs import first_port
from bench.fetch_costs import publish_at
from bench.stack import cpu_seconds, listening_pid
from contracts import topics
from contracts.notify import SmsStatusReported
from otp.app import create_app
from tests.integration.otp.conftest import otp_settings, start_at_end

STATES = (("sent", 1), ("delivered", 2))  # (state, source_version) of each SMS, in order
# per status, in ms: OTP process, mongod, Kafka
Costs = dict[int, tuple[float, float, float]]


def status(challenge_id: str, state: str, version: int) -> SmsStatusReported:
    return SmsStatusReported(
        producer="notify",
        correlation_id=challenge_id,
        partition_key=challenge_id,
        source_version=version,
        challenge_id=challenge_id,
        send_number=1,
        state=state,  # type: ignore[arg-type]
        at=datetime.now(UTC),
    )


async def publish(kafka: str, prefix: str, count: int, rate: float) -> None:
    """`count` statuses of challenges `prefix-0`, `prefix-1`, ... at `rate` a second."""

    def statuses() -> Iterator[tuple[bytes, bytes]]:
        for i in range(count):
            challenge_id = f"{prefix}-{i // 2}"
            event = status(challenge_id, *STATES[i % 2])
            yield challenge_id.encode(), event.model_dump_json().encode()

    await publish_at(kafka, topics.SMS_STATUS, statuses(), rate)


async def one_run(args: argparse.Namespace, linger: int, spent: list[float]) -> None:
    settings = otp_settings(args.kafka, args.mongodb_uri).model_copy(
        update={
            "mongodb_database": f"bench_status_{uuid.uuid4().hex[:8]}",
            "status_linger_ms": linger,
        }
    )
    await start_at_end(settings)
    app = create_app(settings)
    prefix = f"status-{uuid.uuid4().hex[:8]}"
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(args.mongodb_uri)
    challenges = client[settings.mongodb_database]["challenges"]
    sms = args.count // 2
    try:
        await challenges.insert_many(
            [{"_id": f"{prefix}-{i}", "delivery_version": 0} for i in range(sms)]
        )
        async with app.router.lifespan_context(app):
            await asyncio.sleep(args.settle)  # the consumers join their groups
            servers = local_servers(args)
            before = [time.process_time(), *map(cpu_seconds, servers)]
            publisher = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.status_costs", "--publish", prefix,
                *("--kafka", args.kafka, "--count", str(sms * 2), "--rate", str(args.rate)),
            )  # fmt: skip
            if await publisher.wait():
                raise RuntimeError("the status publisher failed")
            await all_delivered(challenges, sms, timeout=60 + sms / args.rate)
            after = [time.process_time(), *map(cpu_seconds, servers)]
        for i, (end, start) in enumerate(zip(after, before, strict=True)):
            spent[i] += end - start
    finally:
        await client.drop_database(settings.mongodb_database)
        await client.close()


async def all_delivered(challenges: Any, count: int, timeout: float) -> None:
    """Until `count` challenges read "delivered" (TimeoutError after `timeout` seconds)."""
    for _ in range(int(timeout / 0.05)):
        if await challenges.count_documents({"delivery": "delivered"}) >= count:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"not every one of {count} challenges read delivered in {timeout} s")


def local_servers(args: argparse.Namespace) -> list[int]:
    """The pids of mongod and Kafka, whose CPU is read: both must run on this machine."""
    mongod = listening_pid(first_port(args.mongodb_uri))
    kafka = listening_pid(int(args.kafka.split(",")[0].rpartition(":")[2]))
    if mongod is None or kafka is None:
        missing = " and ".join(
            n for n, pid in (("mongod", mongod), ("Kafka", kafka)) if pid is None
        )
        raise RuntimeError(f"{missing} does not listen on this machine: its CPU cannot be read")
    return [mongod, kafka]


async def main(args: argparse.Namespace) -> Costs:
    spent = {linger: [0.0, 0.0, 0.0] for linger in args.lingers}
    for _ in range(args.rounds):
        for linger in args.lingers:
            await one_run(args, linger, spent[linger])
    ms = 1000 / (args.count // 2 * 2 * args.rounds)
    return {
        linger: (otp * ms, mongod * ms, kafka * ms)
        for linger, (otp, mongod, kafka) in spent.items()
    }


def report(costs: Costs) -> None:
    heads = ("OTP cpu", "mongod", "Kafka", "sum")
    print(f"{'status linger':>13s} " + " ".join(f"{h:>8s}" for h in heads) + "  (ms per status)")
    for linger, parts in costs.items():
        cells = " ".join(f"{part:8.3f}" for part in (*parts, sum(parts)))
        print(f"{linger:10d} ms {cells}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.status_costs", description=__doc__)
    parser.add_argument("--mongodb-uri", default="mongodb://127.0.0.1:27018/?replicaSet=rs0")
    parser.add_argument("--kafka", default="127.0.0.1:19092")
    parser.add_argument(
        "--lingers", type=lambda v: [int(x) for x in v.split(",")], default=[20, 100]
    )
    parser.add_argument("--rate", type=float, default=340.0, help="statuses a second")
    parser.add_argument("--count", type=int, default=4000, help="statuses per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds for the consumers")
    parser.add_argument("--publish", metavar="PREFIX", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse()
    if arguments.publish:
        asyncio.run(publish(arguments.kafka, arguments.publish, arguments.count, arguments.rate))
    else:
        report(asyncio.run(main(arguments)))
