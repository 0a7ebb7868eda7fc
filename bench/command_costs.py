"""`python -m bench.command_costs`: the CPU time each command of an OTP first send costs, in
the OTP service's process (its MongoDB and Kafka clients, PyMongo's and aiokafka's own
Python) and in mongod, one call at a time on a quiet stack.

The OTP app is built as the service builds it (`otp.app.create_app`, its lifespan run: the
broker and MongoDB client started, its consumer groups at the end of their topics) on a
database of its own; `--people` employees are
taken into its view through `otp.views.apply_records`. Each command of a send is then
called `--calls` times in a row through the service's own adapters, in rounds that
alternate them, and the process CPU (`time.process_time`) and mongod's (`/proc/<pid>/stat`
of the mongod listening on the URI's port) are divided by the calls. Against the local
servers (`deploy/local/servers.py up`):

    uv run python -m bench.command_costs [--mongodb-uri U] [--kafka K] [--calls N]

The database it made is dropped after. Figures go to stdout, not to bench/results.json:
they say where a request's CPU goes, they carry no target."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
import uuid
from collections.abc import Awaitable, Callable

from pymongo import AsyncMongoClient

from bench.stack import cpu_seconds, listening_pid
from otp import refusal_policy
from otp.app import create_app
from otp.deps import Deps
from otp.domain.lookup import Candidate, Lookup, SendGuard
from otp.issuing import HOUR, _new_challenge, _send, normalise_family_id, normalise_mobile
from otp.views import apply_records
from tests.factories.otp import person
from tests.integration.otp.conftest import otp_settings, start_at_end

Call = Callable[[int], Awaitable[object]]


def first_port(uri: str) -> int:
    """The port of a MongoDB URI's first host (27017 when it names none)."""
    hosts = uri.split("://", 1)[-1].split("/", 1)[0].rpartition("@")[2]
    first = hosts.split(",")[0]
    return int(first.rpartition(":")[2]) if ":" in first else 27017


def mongod_pid(uri: str) -> int | None:
    """The mongod process listening on the URI's (first) port, if it runs here."""
    return listening_pid(first_port(uri))


# per call, in ms: wall, OTP CPU, mongod CPU (None: mongod does not run on this machine)
Costs = dict[str, tuple[float, float, float | None]]


async def measure(calls: dict[str, Call], count: int, rounds: int, mongod: int | None) -> Costs:
    """Each call `count` times in a row, in `rounds` that alternate them (a slow spell of
    the machine falls on all of them alike)."""
    spent = {name: [0.0, 0.0, 0.0] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            for i in range(10):  # warm: pool connections, plan cache
                await call(i)
            server = cpu_seconds(mongod) if mongod else 0.0
            wall, cpu = time.perf_counter(), time.process_time()
            for i in range(count):
                await call(i)
            got = spent[name]
            got[0] += time.perf_counter() - wall
            got[1] += time.process_time() - cpu
            got[2] += (cpu_seconds(mongod) if mongod else 0.0) - server
    ms = 1000 / (count * rounds)
    return {
        name: (wall * ms, cpu * ms, server * ms if mongod else None)
        for name, (wall, cpu, server) in spent.items()
    }


def report(costs: Costs) -> None:
    print(f"{'per call':30s} {'wall':>8s} {'OTP cpu':>8s} {'mongod cpu':>10s}")
    for name, (wall, cpu, server) in costs.items():
        on_server = "-" if server is None else f"{server:.2f}ms"
        print(f"{name:30s} {wall:6.2f}ms {cpu:6.2f}ms {on_server:>10s}")


async def look_up(deps: Deps, family_id: str, mobile: str) -> Lookup:
    """The request's look-up of a typed Family ID and mobile, as `request_otp` makes it."""
    family_id, mobile = normalise_family_id(family_id), normalise_mobile(mobile)
    keys = refusal_policy.keys(deps.settings, family_id, mobile)
    return await deps.reads.candidates(
        family_id, mobile, keys, refusal_policy.WINDOW_SECONDS, deps.clock()
    )


def send_calls(deps: Deps, views: list[Candidate]) -> dict[str, Call]:
    """The commands of a first send: the look-up and the SMS request on the viewed people
    in turn, the guard on a new employee each call (a first send's), a new challenge each
    call."""
    s, now = deps.settings, deps.clock()

    def lookup(i: int) -> Awaitable[object]:
        view = views[i % len(views)]
        return look_up(deps, view.family_id or "", view.mobile or "")

    employees = itertools.count()  # a guard of its own per call: a first send's

    def guard(i: int) -> Awaitable[object]:
        employee = f"bench:{next(employees)}"
        limits = (s.sends_per_employee_per_hour, s.sends_per_mobile_per_hour)
        return deps.guards.send_as_read(
            employee,
            SendGuard(),
            limits,
            HOUR,
            s.send_cooldown_seconds,
            now,
            f"key:{employee}",
            s.code_ttl_seconds,
        )

    def upsert(i: int) -> Awaitable[object]:
        fresh, _ = _new_challenge(deps, views[i % len(views)], f"upsert:{i}", "bench", now)
        return deps.challenges.live_or_new(fresh, now)

    def publish(i: int) -> Awaitable[object]:
        fresh, code = _new_challenge(deps, views[i % len(views)], f"sms:{i}", "bench", now)
        return _send(deps, fresh, "9876543210", code, "en")

    return {
        "look-up (aggregate views)": lookup,
        "guard and mobile (bulk write)": guard,
        "challenge (findAndModify)": upsert,
        "SMS request (Kafka publish)": publish,
    }


async def main(args: argparse.Namespace) -> Costs:
    settings = otp_settings(args.kafka, args.mongodb_uri).model_copy(
        update={"mongodb_database": f"bench_costs_{uuid.uuid4().hex[:8]}"}
    )
    await start_at_end(settings)  # the app's consumers: nothing old to apply
    app = create_app(settings)
    deps: Deps = app.state.deps
    async with app.router.lifespan_context(app):
        try:
            records = [person() for _ in range(args.people)]
            await apply_records(deps, records)
            views: list[Candidate] = []
            for record in records:
                found = await look_up(deps, record.family_id or "", record.mobile or "")
                views.extend(found.by_family_id[:1])
            if len(views) != len(records):
                raise RuntimeError(f"{len(views)} of {len(records)} people in the view")
            calls = send_calls(deps, views)
            return await measure(calls, args.calls, args.rounds, mongod_pid(args.mongodb_uri))
        finally:
            client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(args.mongodb_uri)
            await client.drop_database(settings.mongodb_database)
            await client.close()


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.command_costs", description=__doc__)
    parser.add_argument("--mongodb-uri", default="mongodb://127.0.0.1:27018/?replicaSet=rs0")
    parser.add_argument("--kafka", default="127.0.0.1:19092")
    parser.add_argument("--people", type=int, default=600)
    parser.add_argument("--calls", type=int, default=500, help="per command and round")
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args(argv)


if __name__ == "__main__":
    report(asyncio.run(main(parse())))
