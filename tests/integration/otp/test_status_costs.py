"""`python -m bench.status_costs` against the test run's servers: the statuses of every
challenge applied under each linger (the run ends only when all read "delivered"), the
CPU measured, and its databases dropped after."""

from __future__ import annotations

from typing import Any

from bench import status_costs


async def test_every_linger_applies_every_status_and_is_measured(
    kafka_bootstrap: str, mongodb_uri: str, mongo: Any
) -> None:
    before = set(await mongo.list_database_names())
    args = status_costs.parse(
        [
            *("--kafka", kafka_bootstrap, "--mongodb-uri", mongodb_uri),
            *("--lingers", "0,50", "--count", "60", "--rate", "200", "--rounds", "1"),
            *("--settle", "1"),
        ]
    )

    costs = await status_costs.main(args)

    assert list(costs) == [0, 50]
    for otp, mongod, kafka in costs.values():
        assert otp > 0
        assert mongod > 0
        assert kafka > 0
    left = set(await mongo.list_database_names()) - before
    assert not {name for name in left if name.startswith("bench_status_")}
