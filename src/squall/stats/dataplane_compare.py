"""Before/after comparison of one data-plane test, with a statistical verdict per figure.

**Figures** describe the whole test (its repetitions pooled): each throughput counter
as a rate over all its report intervals (width-weighted), and latency p50/p95/p99 read
from the test's HdrHistograms merged across agents, intervals and repetitions — never
an average of percentiles.

**Verdicts** come from per-interval samples. Within one run, successive requests (and
successive seconds) are not independent draws: a test over a million latencies would
call any wobble significant. Each report interval gives one sample of each figure (its
rate; the p50/p95/p99 of its own histogram), and the two runs' samples are compared
with the Mann–Whitney U test (scipy: exact for small samples without ties). A figure
is ``better`` or ``worse`` when p < ``alpha``, in the direction of the shift (higher
throughput is better, higher latency worse); with fewer than ``MIN_INTERVALS``
samples on a side it gets no verdict. As for task runs, a figure is a regression when
it is worse *and* its whole-test change is at least the threshold in that direction.
Pairs that did not end ok are compared as a failure rate (Fisher's exact test); failed
requests (errors and timeouts, where the tool counts them) as an error rate in points,
judged on each interval's percentage.

Each change comes with a (1 - alpha) interval from a bootstrap over the intervals
(``squall.stats.interval_bootstrap``: the whole-test figure recomputed from resampled
intervals, so it is the interval of the change shown); it is shown, the verdict is
the test's.

Per pair there is nothing to test on: a stored pair carries totals, not intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats as scipy_stats

from squall.stats.compare import (
    Change,
    CompareOptions,
    SeriesComparison,
    Verdict,
    WorkloadComparison,
    compare_failures,
)
from squall.stats.interval_bootstrap import (
    BlockCounts,
    block_quantiles,
    change_interval,
    weighted_means,
)

MIN_INTERVALS = 3
PERCENTILES: tuple[tuple[str, float], ...] = (("p50", 50.0), ("p95", 95.0), ("p99", 99.0))


@dataclass(frozen=True, slots=True)
class RateSeries:
    """One throughput counter of a test: its whole-test rate and each interval's."""

    total: float | None
    samples: list[float]
    weights: list[float] = field(default_factory=list)
    """Each sample's weight in ``total`` (interval width, requests tried); none: equal."""


@dataclass(frozen=True, slots=True)
class LatencySeries:
    """One histogram of a test: percentiles of the merged histogram (``"p50"`` ... in
    seconds) and the same percentiles of each interval's own histogram."""

    whole: dict[str, float]
    samples: dict[str, list[float]]
    blocks: BlockCounts | None = None  # the intervals' histograms, for the interval


@dataclass(frozen=True, slots=True)
class DataplaneSide:
    """One data-plane test of one run, as compared."""

    headline: str  # the throughput counter that stands for the test
    rates: dict[str, RateSeries] = field(default_factory=dict)
    latency: dict[str, LatencySeries] = field(default_factory=dict)
    pairs: int = 0
    failed_pairs: int = 0
    errors: RateSeries | None = None
    """Requests that failed (errors and timeouts), in percent of those made, whole test
    and per interval (tools that count them: http)."""


def compare_test(
    label: str, before: DataplaneSide, after: DataplaneSide, options: CompareOptions
) -> WorkloadComparison:
    """Throughput (the headline), failed pairs, then every other rate and every histogram."""
    rng = np.random.default_rng(options.seed)
    series = [
        SeriesComparison(name, [compare_rate(before.rates[name], after.rates[name], options, rng)])
        for name in before.rates
        if name in after.rates and name != before.headline
    ]
    series += [
        SeriesComparison(name, compare_latency(side, after.latency[name], options, rng))
        for name, side in before.latency.items()
        if name in after.latency
    ]
    if before.errors is not None and after.errors is not None:
        errors = compare_errors(before.errors, after.errors, options, rng)
        series.append(SeriesComparison("errors", [errors]))
    headline = before.headline
    if headline in before.rates and headline in after.rates:
        throughput = compare_rate(before.rates[headline], after.rates[headline], options, rng)
    else:
        throughput = _unknown("throughput", None, None)
    failures = compare_failures("failure_rate", before.pairs, before.failed_pairs,
                                after.pairs, after.failed_pairs, options)  # fmt: skip
    return WorkloadComparison(label, throughput, failures, series)


def compare_rate(
    before: RateSeries,
    after: RateSeries,
    options: CompareOptions,
    rng: np.random.Generator | None = None,
) -> Change:
    """A rate: relative change of the whole-test figure; higher is better. With ``rng``,
    the change's interval from resampled intervals."""
    interval = _rate_interval(before, after, options, rng, relative=True)
    samples = (before.samples, after.samples)
    return _judge("throughput", before.total, after.total, samples, options, interval,
                  higher_is_worse=False)  # fmt: skip


def compare_errors(
    before: RateSeries,
    after: RateSeries,
    options: CompareOptions,
    rng: np.random.Generator | None = None,
) -> Change:
    """Failed requests in percent: the change in points (``failure_threshold`` gates it),
    judged on per-interval percentages; higher is worse."""
    if before.total is None or after.total is None:
        return _unknown("error_rate", before.total, after.total)
    diff = after.total - before.total
    verdict, p_value = _verdict(before.samples, after.samples, options, higher_is_worse=True)
    worse_way = diff > 0
    agrees = verdict is Verdict.NO_EVIDENCE or worse_way == (verdict is Verdict.WORSE)
    beyond = agrees and abs(diff) >= options.failure_threshold
    low, high = _rate_interval(before, after, options, rng, relative=False)
    return Change("error_rate", before.total, after.total, diff, low, high, p_value, verdict,
                  beyond)  # fmt: skip


def compare_latency(
    before: LatencySeries,
    after: LatencySeries,
    options: CompareOptions,
    rng: np.random.Generator | None = None,
) -> list[Change]:
    """p50/p95/p99 of one histogram: merged-histogram figures, per-interval verdicts."""
    intervals = _latency_intervals(before, after, options, rng)
    return [
        _judge(
            name,
            before.whole.get(name),
            after.whole.get(name),
            (before.samples.get(name, []), after.samples.get(name, [])),
            options,
            intervals[column],
            higher_is_worse=True,
        )
        for column, (name, _) in enumerate(PERCENTILES)
    ]


Interval = tuple[float | None, float | None]


def _rate_interval(
    before: RateSeries,
    after: RateSeries,
    options: CompareOptions,
    rng: np.random.Generator | None,
    *,
    relative: bool,
) -> Interval:
    if rng is None or min(len(before.samples), len(after.samples)) < MIN_INTERVALS:
        return None, None
    boot = [
        weighted_means(
            side.samples, side.weights or [1.0] * len(side.samples), options.resamples, rng
        )
        for side in (before, after)
    ]
    return change_interval(boot[0], boot[1], options.alpha, relative=relative)


def _latency_intervals(
    before: LatencySeries,
    after: LatencySeries,
    options: CompareOptions,
    rng: np.random.Generator | None,
) -> list[Interval]:
    none: list[Interval] = [(None, None)] * len(PERCENTILES)
    if rng is None or before.blocks is None or after.blocks is None:
        return none
    if min(before.blocks.counts.shape[0], after.blocks.counts.shape[0]) < MIN_INTERVALS:
        return none
    qs = [p / 100 for _, p in PERCENTILES]
    boot_a = block_quantiles(before.blocks, qs, options.resamples, rng)
    boot_b = block_quantiles(after.blocks, qs, options.resamples, rng)
    return [
        change_interval(boot_a[:, i], boot_b[:, i], options.alpha, relative=True)
        for i in range(len(qs))
    ]


def _judge(
    metric: str,
    before: float | None,
    after: float | None,
    samples: tuple[list[float], list[float]],
    options: CompareOptions,
    interval: Interval,
    *,
    higher_is_worse: bool,
) -> Change:
    """A relative change, its interval, and the per-interval ``samples``' verdict."""
    if before is None or after is None or before <= 0:
        return _unknown(metric, before, after)
    change = after / before - 1
    verdict, p_value = _verdict(*samples, options, higher_is_worse=higher_is_worse)
    worse_way = change > 0 if higher_is_worse else change < 0
    agrees = verdict is Verdict.NO_EVIDENCE or worse_way == (verdict is Verdict.WORSE)
    beyond = agrees and abs(change) >= options.threshold
    low, high = interval
    return Change(metric, before, after, change, low, high, p_value, verdict, beyond)


def _verdict(
    samples_a: list[float],
    samples_b: list[float],
    options: CompareOptions,
    *,
    higher_is_worse: bool,
) -> tuple[Verdict, float | None]:
    """Mann–Whitney on the per-interval samples: the verdict and its p-value (None: too
    few samples to test)."""
    if min(len(samples_a), len(samples_b)) < MIN_INTERVALS:
        return Verdict.NO_EVIDENCE, None
    test = scipy_stats.mannwhitneyu(samples_b, samples_a, alternative="two-sided")
    p_value = float(test.pvalue)
    if math.isnan(p_value) or p_value >= options.alpha:
        return Verdict.NO_EVIDENCE, None if math.isnan(p_value) else p_value
    # U of the second sample above half the pairs: the second is larger
    larger = float(test.statistic) > len(samples_a) * len(samples_b) / 2
    return (Verdict.WORSE if larger == higher_is_worse else Verdict.BETTER), p_value


def _unknown(metric: str, before: float | None, after: float | None) -> Change:
    return Change(metric, before, after, None, None, None, None, Verdict.NO_EVIDENCE, False)
