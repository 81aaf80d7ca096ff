"""Compare verdicts on synthetic runs with known shifts, through real HdrHistograms."""

from __future__ import annotations

import numpy as np
import pytest

from squall.stats.compare import (
    CompareOptions,
    SeriesSide,
    Verdict,
    WorkloadSide,
    compare_failures,
    compare_quantiles,
    compare_throughput,
    compare_workload,
    worst,
)
from squall.stats.distribution import Distribution
from squall.stats.histogram import Histogram

FAST = CompareOptions(resamples=400)


def durations(seed: int, n: int, scale: float = 1.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return scale * rng.lognormal(mean=np.log(0.2), sigma=0.35, size=n)


def distribution(values: np.ndarray) -> Distribution:
    hist = Histogram()
    hist.record_many(values.tolist())
    return Distribution.from_histogram(Histogram.decode(hist.encode()))


def side(
    values: np.ndarray, failed: int = 0, load: float = 100.0, *, bucketed: bool = True
) -> WorkloadSide:
    # bucketed: through a real HdrHistogram; else millisecond buckets (fast, same maths)
    dist = distribution(values) if bucketed else Distribution.from_values(np.round(values, 3))
    return WorkloadSide(
        series={"total": SeriesSide(dist, len(values), failed)},
        iterations=len(values),
        failed=failed,
        load_duration=load,
    )


def by_metric(comparison, metric):
    (series,) = comparison.series
    return next(c for c in series.changes if c.metric == metric)


def test_a_ten_percent_slower_p95_is_worse_beyond_the_threshold():
    before = side(durations(1, 3000))
    after = side(durations(2, 3000, scale=1.10))
    result = compare_workload("w", before, after, FAST)
    p95 = by_metric(result, "p95")
    assert p95.verdict is Verdict.WORSE
    assert p95.regression
    assert 0.05 < p95.change < 0.15
    assert p95.low > 0 and p95.low < p95.change < p95.high
    assert by_metric(result, "durations").verdict is Verdict.WORSE
    assert result.verdict is Verdict.WORSE


def test_a_shift_only_in_the_tail_moves_p95_but_not_p50():
    base = durations(3, 4000)
    shifted = base.copy()
    tail = shifted > np.quantile(shifted, 0.9)
    shifted[tail] *= 1.10
    result = compare_workload("w", side(base), side(shifted), FAST)
    assert by_metric(result, "p95").verdict is Verdict.WORSE
    assert by_metric(result, "p50").verdict is Verdict.NO_EVIDENCE


def test_faster_is_better():
    result = compare_workload("w", side(durations(4, 3000)), side(durations(5, 3000, 0.8)), FAST)
    assert by_metric(result, "p50").verdict is Verdict.BETTER
    assert result.verdict is Verdict.BETTER
    assert worst([result]) is Verdict.BETTER


def test_a_significant_change_below_the_threshold_is_not_a_regression():
    before = side(durations(6, 200_000))
    after = side(durations(7, 200_000, scale=1.02))
    result = compare_workload("w", before, after, FAST)
    p50 = by_metric(result, "p50")
    assert p50.verdict is Verdict.WORSE
    assert not p50.regression
    assert result.verdict is not Verdict.WORSE


def test_a_a_comparisons_are_flagged_at_about_the_significance_level():
    seeds = 100
    flagged = {"p50": 0, "p95": 0, "durations": 0}
    verdicts = []
    for seed in range(seeds):
        a = side(durations(1000 + seed, 1500), bucketed=False)
        b = side(durations(5000 + seed, 1500), bucketed=False)
        result = compare_workload("w", a, b, CompareOptions(resamples=300, seed=seed))
        for metric in flagged:
            if by_metric(result, metric).verdict is not Verdict.NO_EVIDENCE:
                flagged[metric] += 1
        verdicts.append(result.verdict)
    for metric, count in flagged.items():
        assert count / seeds <= 0.10, (metric, count)
    assert verdicts.count(Verdict.WORSE) / seeds <= 0.05


def test_the_bootstrap_is_reproducible_with_a_seed():
    a, b = side(durations(8, 500)), side(durations(9, 500))
    one = compare_workload("w", a, b, CompareOptions(resamples=200, seed=3))
    two = compare_workload("w", a, b, CompareOptions(resamples=200, seed=3))
    assert one == two


def test_empty_or_zero_series_give_no_evidence():
    empty = Distribution.from_values([])
    zeros = Distribution.from_values([0.0] * 10)
    rng = np.random.default_rng(0)
    assert {c.verdict for c in compare_quantiles(empty, zeros, FAST, rng)} == {Verdict.NO_EVIDENCE}
    changes = compare_quantiles(zeros, zeros, FAST, rng)
    assert all(c.change is None for c in changes)


def test_throughput_drop_is_worse():
    before = side(durations(10, 1000), load=100.0)
    after = side(durations(11, 1000), load=125.0)
    change = compare_throughput(before, after, FAST)
    assert change.verdict is Verdict.WORSE
    assert change.change == pytest.approx(-0.2)
    assert change.regression
    same = compare_throughput(before, side(durations(12, 1000), load=101.0), FAST)
    assert same.verdict is Verdict.NO_EVIDENCE


def test_failure_rate_change_in_points():
    worse = compare_failures("failure_rate", 1000, 5, 1000, 40, FAST)
    assert worse.verdict is Verdict.WORSE and worse.regression
    assert worse.change == pytest.approx(3.5)
    noise = compare_failures("failure_rate", 1000, 5, 1000, 7, FAST)
    assert noise.verdict is Verdict.NO_EVIDENCE
    assert compare_failures("failure_rate", 0, 0, 10, 1, FAST).before is None


def test_rows_in_one_run_only_are_left_out():
    a = side(durations(13, 300))
    b_dist = distribution(durations(14, 300))
    b = WorkloadSide(
        series={"other": SeriesSide(b_dist, 300, 0), "total": a.series["total"]},
        iterations=300,
        failed=0,
        load_duration=100.0,
    )
    result = compare_workload("w", a, b, FAST)
    assert [s.name for s in result.series] == ["total"]


def test_a_percentile_with_too_few_samples_above_it_is_not_judged():
    before, after = side(durations(15, 400)), side(durations(16, 400, scale=1.5))
    result = compare_workload("w", before, after, FAST)
    p99 = by_metric(result, "p99")
    assert p99.verdict is Verdict.NO_EVIDENCE and p99.change is None
    assert by_metric(result, "p95").verdict is Verdict.WORSE
