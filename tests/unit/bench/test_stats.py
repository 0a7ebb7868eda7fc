"""The bench's arithmetic: percentiles, rates, ratios to the floor, target checks."""

import math

import pytest

from bench.stats import Figure, Target, percentile, rate, ratio, summary


def test_percentile_takes_the_nearest_rank() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # 1..100, unordered
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile(values, 0) == 1.0


def test_percentile_of_a_small_sample_is_one_of_its_values() -> None:
    assert percentile([3.0, 1.0, 2.0], 95) == 3.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0


def test_percentile_of_nothing_is_nan_and_q_outside_0_100_is_refused() -> None:
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError, match=r"0\.\.100"):
        percentile([1.0], 101)


def test_rate_and_ratio_guard_against_zero() -> None:
    assert rate(300, 2.0) == 150.0
    assert math.isnan(rate(5, 0.0))
    assert ratio(30.0, 60.0) == 0.5
    assert ratio(30.0, None) is None
    assert ratio(30.0, 0.0) is None


def test_throughput_target_is_met_at_or_above_its_ratio() -> None:
    target = Target(at_least=0.6)
    assert Figure("rps", 60.0, "req/s", 100.0, target).met is True
    assert Figure("rps", 59.0, "req/s", 100.0, target).met is False


def test_latency_target_is_met_at_or_below_its_ratio() -> None:
    target = Target(at_most=3.0)
    assert Figure("p99", 30.0, "ms", 10.0, target).met is True
    assert Figure("p99", 31.0, "ms", 10.0, target).met is False


def test_absolute_target_compares_the_value_strictly() -> None:
    target = Target(at_most=1000, absolute=True)
    assert Figure("sms p99", 999.0, "ms", target=target).met is True
    assert Figure("sms p99", 1000.0, "ms", target=target).met is False


def test_a_figure_without_floor_or_target_has_no_verdict() -> None:
    figure = Figure("rss", 120.0, "MiB")
    assert figure.ratio is None
    assert figure.met is None
    assert figure.to_json()["target_met"] is None
    assert Figure("rps", 10.0, "req/s", None, Target(at_least=0.6)).met is None


def test_summary_reports_rate_percentiles_in_ms_and_errors() -> None:
    got = summary([0.010, 0.020, 0.030, 0.040], errors=2, seconds=2.0)
    assert got["rps"] == 2.0
    assert got["p50_ms"] == pytest.approx(20.0)
    assert got["p99_ms"] == pytest.approx(40.0)
    assert got["errors"] == 2.0


def test_printed_line_names_value_floor_ratio_and_verdict() -> None:
    line = Figure("otp requests c=32 rps", 50.0, "req/s", 100.0, Target(at_least=0.6)).line()
    assert "otp requests c=32 rps" in line
    assert "ratio   0.50" in line
    assert "met NO" in line
