"""bench.report renders a run's results.json as the tables of docs/benchmarks.md."""

from __future__ import annotations

from bench.report import number, render
from bench.stats import Figure, Target


def test_numbers_keep_three_figures_and_group_thousands() -> None:
    assert [number(v) for v in (0.08333, 60.64, 1428.13, 104891.9, None)] == [
        "0.0833",
        "60.6",
        "1,428",
        "104,892",
        "-",
    ]


def test_the_targets_table_lists_each_target_with_its_figure_and_whether_it_was_met() -> None:
    figures = [
        Figure("otp requests c=32 rps", 90.0, "req/s", 150.0, Target(at_least=0.6)),
        Figure(
            "sms accepted->gateway p99 c=32",
            1500.0,
            "ms",
            None,
            Target(at_most=1000, absolute=True),
        ),
        Figure("otp requests c=1 rps", 14.0, "req/s", 19.0),
        Figure("round trips", float("nan"), "trips/s", None, Target(at_least=48, absolute=True)),
    ]
    results = {
        "date": "2026-12-01T14:00:00+00:00",
        "machine": {
            "cpus": 2,
            "cpu_model": "x",
            "ram_gib": 1,
            "python": "3.11",
            "kafka": "4",
            "mongod": "6",
        },
        "figures": [f.to_json() for f in figures],
        "notes": ["the client used 30 % of the machine"],
    }
    text = render(results)
    targets = text.split("### Every figure")[0]
    assert "| otp requests c=32 rps | 90 req/s | 150 | 0.6 | ratio >= 0.6 | yes |" in targets
    assert (
        "| sms accepted->gateway p99 c=32 | 1,500 ms | - | - | value < 1000 | **no** |" in targets
    )
    assert "| round trips | - trips/s | - | - | value >= 48 | not measured |" in targets
    assert "otp requests c=1 rps" not in targets
    assert "1 of 3 targets met." in targets
    assert "| otp requests c=1 rps | 14 | req/s | 19 | 0.737 | - | - |" in text
    assert "- the client used 30 % of the machine" in text
