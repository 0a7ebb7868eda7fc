"""`python -m bench.command_costs` against the test run's servers: every command of a first
send measured, on a database of its own that is dropped after."""

from __future__ import annotations

from typing import Any

from bench import command_costs


async def test_every_command_of_a_send_is_measured_and_its_database_dropped(
    kafka_bootstrap: str, mongodb_uri: str, mongo: Any
) -> None:
    before = set(await mongo.list_database_names())
    args = ["--kafka", kafka_bootstrap, "--mongodb-uri", mongodb_uri]
    costs = await command_costs.main(
        command_costs.parse([*args, "--people", "20", "--calls", "20", "--rounds", "1"])
    )

    assert list(costs) == [
        "look-up (aggregate views)",
        "guard and mobile (bulk write)",
        "challenge (findAndModify)",
        "SMS request (Kafka publish)",
    ]
    for wall, cpu, _ in costs.values():
        assert wall > 0
        assert cpu > 0
    left = set(await mongo.list_database_names()) - before
    assert not {name for name in left if name.startswith("bench_costs_")}
