"""Data-plane tests compared: verdicts on per-interval samples, calibrated on A/A runs."""

from __future__ import annotations

import numpy as np
import pytest

from squall.stats.compare import CompareOptions, Verdict
from squall.stats.dataplane_compare import (
    MIN_INTERVALS,
    DataplaneSide,
    LatencySeries,
    RateSeries,
    compare_rate,
    compare_test,
)

OPTIONS = CompareOptions()
INTERVALS = 30


def side(rng: np.random.Generator, *, rate: float = 1000.0, p95: float = 0.020) -> DataplaneSide:
    """Per-interval figures with 5 % noise around ``rate`` and ``p95`` (p50 at half)."""
    rates = list(rng.normal(rate, rate * 0.05, INTERVALS))
    p95s = list(rng.normal(p95, p95 * 0.05, INTERVALS))
    p50s = list(rng.normal(p95 / 2, p95 * 0.025, INTERVALS))
    p99s = list(rng.normal(p95 * 1.5, p95 * 0.1, INTERVALS))
    samples = {"p50": p50s, "p95": p95s, "p99": p99s}
    whole = {name: float(np.median(values)) for name, values in samples.items()}
    return DataplaneSide(
        headline="requests",
        rates={"requests": RateSeries(float(np.mean(rates)), rates)},
        latency={"latency": LatencySeries(whole, samples)},
        pairs=4,
    )


def changes(before: DataplaneSide, after: DataplaneSide) -> dict[str, object]:
    result = compare_test("web", before, after, OPTIONS)
    found: dict[str, object] = {"throughput": result.throughput, "verdict": result.verdict}
    (latency,) = result.series
    found.update({c.metric: c for c in latency.changes})
    return found


def test_a_10_percent_slower_p95_is_worse_and_a_regression():
    rng = np.random.default_rng(1)
    found = changes(side(rng), side(rng, p95=0.022))
    p95 = found["p95"]
    assert p95.verdict is Verdict.WORSE and p95.regression
    assert p95.change == pytest.approx(0.10, abs=0.03)
    assert found["verdict"] is Verdict.WORSE


def test_a_10_percent_lower_throughput_is_worse_and_higher_is_better():
    rng = np.random.default_rng(2)
    lower = changes(side(rng), side(rng, rate=900.0))["throughput"]
    assert lower.verdict is Verdict.WORSE and lower.regression
    higher = changes(side(rng), side(rng, rate=1100.0))["throughput"]
    assert higher.verdict is Verdict.BETTER and higher.improvement


def test_a_significant_change_below_the_threshold_does_not_gate():
    rng = np.random.default_rng(3)
    before = side(rng)
    after = side(rng, p95=0.0206)  # 3 %: below the 5 % threshold
    many = DataplaneSide("requests", before.rates, {"latency": LatencySeries(
        after.latency["latency"].whole,
        {k: [v * 1.03 for v in before.latency["latency"].samples[k]]
         for k in ("p50", "p95", "p99")})})  # fmt: skip
    p95 = changes(before, many)["p95"]
    assert p95.verdict is Verdict.WORSE and not p95.regression


def test_a_aa_comparisons_are_flagged_at_about_the_5_percent_level():
    figures = ("throughput", "p50", "p95", "p99")
    flagged = gated = 0
    seeds = 200
    for seed in range(seeds):
        rng = np.random.default_rng(1000 + seed)
        found = changes(side(rng), side(rng))
        flagged += sum(found[name].verdict is not Verdict.NO_EVIDENCE for name in figures)
        gated += found["verdict"] is Verdict.WORSE
    assert 0.02 <= flagged / (seeds * len(figures)) <= 0.08  # 800 tests at alpha = 0.05
    assert gated / seeds <= 0.02  # 5 % noise: a 5 % change in an A/A pair is rare


def test_too_few_intervals_give_no_verdict_but_the_change():
    few = RateSeries(100.0, [100.0] * (MIN_INTERVALS - 1))
    many = RateSeries(50.0, [50.0] * 30)
    change = compare_rate(few, many, OPTIONS)
    assert change.verdict is Verdict.NO_EVIDENCE and change.change == pytest.approx(-0.5)


def test_failed_pairs_and_figures_missing_on_one_side():
    rng = np.random.default_rng(4)
    before = side(rng)
    after = DataplaneSide("requests", {}, {}, pairs=40, failed_pairs=20)
    before = DataplaneSide(before.headline, before.rates, before.latency, pairs=40)
    result = compare_test("web", before, after, OPTIONS)
    assert result.series == []  # nothing to pair
    assert result.throughput.verdict is Verdict.NO_EVIDENCE and result.throughput.before is None
    assert result.failure_rate.verdict is Verdict.WORSE and result.failure_rate.regression
    assert result.verdict is Verdict.WORSE


def test_the_interval_brackets_the_change_and_covers_zero_in_aa_pairs():
    rng = np.random.default_rng(5)
    lower = changes(side(rng), side(rng, rate=900.0))["throughput"]
    assert lower.low is not None and lower.high is not None
    assert lower.low < lower.change < lower.high < 0
    missed = 0
    seeds = 200
    for seed in range(seeds):
        rng = np.random.default_rng(2000 + seed)
        aa = changes(side(rng), side(rng))["throughput"]
        missed += not aa.low <= 0 <= aa.high
    assert 0.01 <= missed / seeds <= 0.12  # a 95 % interval (a bootstrap: a bit narrow)
