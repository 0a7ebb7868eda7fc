"""`python -m bench.fetch_costs` against the test run's broker: every message taken in
each mode (the run ends only when all are), and a fetch held at the broker takes them in
larger batches than one answered as soon as one message is there."""

from __future__ import annotations

from bench import fetch_costs


async def test_each_mode_takes_every_message_and_held_fetches_take_larger_batches(
    kafka_bootstrap: str,
) -> None:
    args = fetch_costs.parse(
        [
            *("--kafka", kafka_bootstrap, "--modes", "linger:0,held:200"),
            *("--rate", "100", "--seconds", "1.5", "--idle", "0.5"),
        ]
    )

    costs = await fetch_costs.main(args)

    assert list(costs) == ["linger:0", "held:200"]
    for idle, per_message, per_batch in costs.values():
        assert idle >= 0
        assert per_message > 0
        assert per_batch >= 1
    assert costs["held:200"][2] > costs["linger:0"][2]
