"""Before/after comparison of one workload, with a statistical verdict per figure.

For every duration row (the total and each atomic action) present in both runs:

- p50, p95, p99: relative change, with a bootstrap confidence interval
  (percentile method, resampling each run's histogram independently); a percentile
  with fewer than ``min_tail`` samples above it in either run is not judged (the
  bootstrap of an extreme order statistic is too discrete to trust);
- ``durations``: the Mann–Whitney U test on the whole distributions, reported as the
  relative change of the median and the test's p-value;
- ``failure_rate``: the change in percentage points, Fisher's exact test.

For the workload as a whole, ``throughput`` (iterations per second of load):
relative change, an exact conditional (binomial) test of two Poisson rates.

A figure's ``verdict`` is statistical: ``better`` or ``worse`` when the interval
excludes zero (or the test's p-value is below ``alpha``), else ``no evidence``.
It is ``beyond_threshold`` when, in addition, the change is at least the practical
threshold (relative for durations and throughput, absolute percentage points for
failure rates). A workload is worse when any figure is worse beyond the threshold;
that is what CI gates on. The threshold keeps large runs, where every tiny change is
significant, from failing gates on noise-sized differences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy import stats as scipy_stats

from squall.stats.distribution import Distribution
from squall.stats.mannwhitney import mann_whitney

QUANTILES: tuple[tuple[str, float], ...] = (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))


class Verdict(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    NO_EVIDENCE = "no evidence"


@dataclass(frozen=True, slots=True)
class CompareOptions:
    alpha: float = 0.05  # significance level (interval coverage is 1 - alpha)
    threshold: float = 0.05  # relative change that matters (durations, throughput)
    failure_threshold: float = 1.0  # percentage points of failure rate that matter
    resamples: int = 1000  # bootstrap resamples
    seed: int = 0  # bootstrap random seed (same inputs, same intervals)
    min_tail: int = 10  # samples needed above a percentile to judge it (p99: 1,000)


@dataclass(frozen=True, slots=True)
class Change:
    """One figure before and after; ``change`` relative, or in points for failure rates."""

    metric: str
    before: float | None
    after: float | None
    change: float | None
    low: float | None
    high: float | None
    p_value: float | None
    verdict: Verdict
    beyond_threshold: bool

    @property
    def regression(self) -> bool:
        return self.verdict is Verdict.WORSE and self.beyond_threshold

    @property
    def improvement(self) -> bool:
        return self.verdict is Verdict.BETTER and self.beyond_threshold


@dataclass(frozen=True, slots=True)
class SeriesSide:
    """One duration row of one run: its distribution and failure counts."""

    distribution: Distribution
    count: int
    failures: int


@dataclass(frozen=True, slots=True)
class WorkloadSide:
    """One workload of one run, as compared."""

    series: dict[str, SeriesSide]  # row name -> data, in display order
    iterations: int
    failed: int
    load_duration: float


@dataclass(frozen=True, slots=True)
class SeriesComparison:
    name: str
    changes: list[Change]


@dataclass(frozen=True, slots=True)
class WorkloadComparison:
    label: str
    throughput: Change
    failure_rate: Change
    series: list[SeriesComparison] = field(default_factory=list)

    def changes(self) -> list[Change]:
        found = [self.throughput, self.failure_rate]
        for one in self.series:
            found.extend(one.changes)
        return found

    @property
    def verdict(self) -> Verdict:
        every = self.changes()
        if any(c.regression for c in every):
            return Verdict.WORSE
        if any(c.improvement for c in every):
            return Verdict.BETTER
        return Verdict.NO_EVIDENCE


def compare_workload(
    label: str, before: WorkloadSide, after: WorkloadSide, options: CompareOptions
) -> WorkloadComparison:
    rng = np.random.default_rng(options.seed)
    series = [
        SeriesComparison(name, compare_series(side, after.series[name], options, rng))
        for name, side in before.series.items()
        if name in after.series
    ]
    return WorkloadComparison(
        label=label,
        throughput=compare_throughput(before, after, options),
        failure_rate=compare_failures(
            "failure_rate",
            before.iterations,
            before.failed,
            after.iterations,
            after.failed,
            options,
        ),
        series=series,
    )


def compare_series(
    before: SeriesSide, after: SeriesSide, options: CompareOptions, rng: np.random.Generator
) -> list[Change]:
    changes = compare_quantiles(before.distribution, after.distribution, options, rng)
    changes.append(compare_distributions(before.distribution, after.distribution, options))
    changes.append(
        compare_failures(
            "failure_rate", before.count, before.failures, after.count, after.failures, options
        )
    )
    return changes


def compare_quantiles(
    before: Distribution, after: Distribution, options: CompareOptions, rng: np.random.Generator
) -> list[Change]:
    """p50/p95/p99 relative changes with bootstrap intervals of the ratio."""
    qs = [q for _, q in QUANTILES]
    point_a, point_b = before.quantiles(qs), after.quantiles(qs)
    if before.n == 0 or after.n == 0:
        return [_unknown(name, point_a[i], point_b[i]) for i, (name, _) in enumerate(QUANTILES)]
    boot_a = before.bootstrap_quantiles(qs, options.resamples, rng)
    boot_b = after.bootstrap_quantiles(qs, options.resamples, rng)
    changes = []
    for i, (name, _) in enumerate(QUANTILES):
        tail = min(before.n, after.n) * (1 - qs[i])
        if point_a[i] <= 0 or np.any(boot_a[:, i] <= 0) or tail < options.min_tail:
            changes.append(_unknown(name, point_a[i], point_b[i]))
            continue
        ratios = boot_b[:, i] / boot_a[:, i] - 1
        low, high = np.quantile(ratios, [options.alpha / 2, 1 - options.alpha / 2])
        change = float(point_b[i] / point_a[i] - 1)
        verdict = _by_interval(float(low), float(high), higher_is_worse=True)
        changes.append(
            Change(
                name,
                float(point_a[i]),
                float(point_b[i]),
                change,
                float(low),
                float(high),
                None,
                verdict,
                abs(change) >= options.threshold,
            )
        )
    return changes


def compare_distributions(
    before: Distribution, after: Distribution, options: CompareOptions
) -> Change:
    """Mann–Whitney on the whole distributions; the change shown is the median's."""
    test = mann_whitney(before, after)
    median_a, median_b = before.quantiles([0.5])[0], after.quantiles([0.5])[0]
    change = float(median_b / median_a - 1) if median_a > 0 else None
    verdict = Verdict.NO_EVIDENCE
    if not math.isnan(test.p_value) and test.p_value < options.alpha:
        verdict = Verdict.WORSE if test.effect > 0.5 else Verdict.BETTER
    return Change(
        "durations",
        _finite(median_a),
        _finite(median_b),
        change,
        None,
        None,
        _finite(test.p_value),
        verdict,
        change is not None and abs(change) >= options.threshold,
    )


def compare_throughput(
    before: WorkloadSide, after: WorkloadSide, options: CompareOptions
) -> Change:
    """Iterations per second of load; exact test that both counts come from one rate."""
    t_a, t_b = before.load_duration, after.load_duration
    n_a, n_b = before.iterations, after.iterations
    if t_a <= 0 or t_b <= 0 or n_a == 0 or n_b == 0:
        rate_a = n_a / t_a if t_a > 0 else None
        rate_b = n_b / t_b if t_b > 0 else None
        return Change(
            "throughput", rate_a, rate_b, None, None, None, None, Verdict.NO_EVIDENCE, False
        )
    rate_a, rate_b = n_a / t_a, n_b / t_b
    ratio = rate_b / rate_a
    p_value = float(scipy_stats.binomtest(n_b, n_a + n_b, t_b / (t_a + t_b)).pvalue)
    z = float(scipy_stats.norm.ppf(1 - options.alpha / 2))
    spread = z * math.sqrt(1 / n_a + 1 / n_b)
    low, high = ratio * math.exp(-spread) - 1, ratio * math.exp(spread) - 1
    verdict = Verdict.NO_EVIDENCE
    if p_value < options.alpha:
        verdict = Verdict.BETTER if ratio > 1 else Verdict.WORSE
    return Change(
        "throughput", rate_a, rate_b, ratio - 1, low, high, p_value, verdict,
        abs(ratio - 1) >= options.threshold,
    )  # fmt: skip


def compare_failures(
    metric: str, count_a: int, failed_a: int, count_b: int, failed_b: int, options: CompareOptions
) -> Change:
    """Failure rate in percent; the change in percentage points; Fisher's exact test."""
    if count_a == 0 or count_b == 0:
        return Change(metric, None, None, None, None, None, None, Verdict.NO_EVIDENCE, False)
    rate_a, rate_b = 100 * failed_a / count_a, 100 * failed_b / count_b
    table = [[failed_a, count_a - failed_a], [failed_b, count_b - failed_b]]
    p_value = float(scipy_stats.fisher_exact(table).pvalue)
    z = float(scipy_stats.norm.ppf(1 - options.alpha / 2))
    pa, pb = rate_a / 100, rate_b / 100
    spread = 100 * z * math.sqrt(pa * (1 - pa) / count_a + pb * (1 - pb) / count_b)
    diff = rate_b - rate_a
    verdict = Verdict.NO_EVIDENCE
    if p_value < options.alpha:
        verdict = Verdict.WORSE if diff > 0 else Verdict.BETTER
    return Change(
        metric, rate_a, rate_b, diff, diff - spread, diff + spread, p_value, verdict,
        abs(diff) >= options.failure_threshold,
    )  # fmt: skip


def _by_interval(low: float, high: float, *, higher_is_worse: bool) -> Verdict:
    if low > 0:
        return Verdict.WORSE if higher_is_worse else Verdict.BETTER
    if high < 0:
        return Verdict.BETTER if higher_is_worse else Verdict.WORSE
    return Verdict.NO_EVIDENCE


def _unknown(metric: str, before: float, after: float) -> Change:
    return Change(
        metric, _finite(before), _finite(after), None, None, None, None, Verdict.NO_EVIDENCE, False
    )


def _finite(value: float) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def worst(comparisons: Sequence[WorkloadComparison]) -> Verdict:
    """The overall verdict: worse if any workload is, better if any is and none worse."""
    verdicts = {c.verdict for c in comparisons}
    if Verdict.WORSE in verdicts:
        return Verdict.WORSE
    if Verdict.BETTER in verdicts:
        return Verdict.BETTER
    return Verdict.NO_EVIDENCE
