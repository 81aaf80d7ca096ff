"""Stored data-plane runs compared test by test, and followed over time.

A run's tests are matched by name; a test's repetitions are pooled (intervals
together, HdrHistograms merged). What is compared, and how, is in
``squall.stats.dataplane_compare``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from squall.api._matching import DATAPLANE, common_keys
from squall.dataplane.store import DataplaneStore
from squall.errors import ConfigError
from squall.reports.html.dataplane import RATE_SUFFIXES, rate, throughput_metric, unit
from squall.stats.compare import CompareOptions, Verdict, WorkloadComparison, worst
from squall.stats.dataplane_compare import (
    PERCENTILES,
    DataplaneSide,
    LatencySeries,
    RateSeries,
    compare_test,
)
from squall.stats.histogram import Histogram
from squall.stats.interval_bootstrap import BlockCounts, groups
from squall.stats.trends import RunBrief, Trend, TrendPoint

if TYPE_CHECKING:
    from squall.results.store import Store

ERROR_COUNTERS = ("errors", "timeouts")  # requests that failed, besides those counted ok


@dataclass(frozen=True, slots=True)
class DataplaneComparison:
    before: RunBrief
    after: RunBrief
    workloads: list[WorkloadComparison]  # one per test
    unmatched: list[str]  # tests in one run only

    @property
    def verdict(self) -> Verdict:
        return worst(self.workloads)


def _label(name: str, side: DataplaneSide) -> str:
    """The test's name and the counter its throughput row stands for."""
    return f"{name} ({side.headline})" if side.headline else name


def brief(run: dict[str, Any]) -> RunBrief:
    return RunBrief(str(run["run"]), str(run.get("title", "")), float(run["started_at"]))


def compare_dataplane(
    before: dict[str, Any], after: dict[str, Any], options: CompareOptions
) -> DataplaneComparison:
    """Two stored runs (``squall.dataplane.run/1`` documents), test by test."""
    first, second = brief(before), brief(after)
    sides_a, sides_b = sides_of(before), sides_of(after)
    matched = common_keys(first, second, (sides_a, sides_b), DATAPLANE)
    tests = [compare_test(_label(name, sides_a[name]), sides_a[name], sides_b[name], options)
             for name in matched.common]  # fmt: skip
    return DataplaneComparison(first, second, tests, matched.unmatched)


def dataplane_trends(
    store: Store, title: str, options: CompareOptions
) -> tuple[list[RunBrief], list[Trend]]:
    """The stored runs of the plan titled ``title``, oldest first, and per test its
    figures run after run (each judged against the run before)."""
    stored = DataplaneStore(store)
    runs = [stored.get(r["run"]) for r in stored.runs() if r["title"] == title]
    if not runs:
        raise ConfigError(
            f"no data-plane run of a plan titled {title!r}",
            hint="`squall dataplane status` lists the runs and their titles",
        )
    series: dict[str, list[TrendPoint]] = {}
    previous: dict[str, DataplaneSide] = {}
    for run in runs:
        for name, side in sides_of(run).items():
            verdict = None
            if name in previous:
                verdict = compare_test(name, previous[name], side, options).verdict
            series.setdefault(name, []).append(trend_point(brief(run), side, verdict))
            previous[name] = side
    found = [
        Trend(name, points, unit(previous[name].headline), "failed pairs")
        for name, points in series.items()
    ]
    return [brief(r) for r in runs], found


def trend_point(run: RunBrief, side: DataplaneSide, verdict: Verdict | None) -> TrendPoint:
    """The headline rate, the first histogram's percentiles, the failed pairs' share."""
    rates = side.rates.get(side.headline)
    whole = next(iter(side.latency.values())).whole if side.latency else {}
    failed = 100 * side.failed_pairs / side.pairs if side.pairs else None
    throughput = rates.total if rates else None
    p50, p95, p99 = whole.get("p50"), whole.get("p95"), whole.get("p99")
    return TrendPoint(run.id, run.created_at, p50, p95, p99, throughput, failed, verdict)


def sides_of(run: dict[str, Any]) -> dict[str, DataplaneSide]:
    """Each test of ``run`` (by name, repetitions pooled), as compared."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    for test in run.get("tests") or []:
        by_name.setdefault(str(test["test"]), []).append(test)
    return {name: side_of(repetitions) for name, repetitions in by_name.items()}


def side_of(repetitions: list[dict[str, Any]]) -> DataplaneSide:
    intervals = [i for t in repetitions for i in t.get("intervals") or []]
    matrix = repetitions[0].get("matrix") or {}
    pairs = [p for t in repetitions for p in t.get("pairs") or []]
    headline = throughput_metric(intervals, str(matrix.get("metric", "")))
    return DataplaneSide(
        headline=headline,
        rates={name: _rates(intervals, name) for name in _rate_names(intervals, headline)},
        latency=_latency(repetitions, intervals),
        pairs=len(pairs),
        failed_pairs=sum(1 for p in pairs if p.get("status") != "ok"),
        errors=_errors(intervals, headline),
    )


def _rate_names(intervals: Iterable[dict[str, Any]], headline: str) -> list[str]:
    """The counters where more is better: the headline, every rate (per second, IOPS:
    each direction) and bytes moved. Error counts are judged apart; the others (status
    classes, packets sent) follow from the load asked for."""
    names: dict[str, None] = {headline: None} if headline else {}
    for item in intervals:
        for name in item["counters"]:
            if name.endswith(RATE_SUFFIXES) or name == "bytes":
                names.setdefault(name, None)
    return list(names)


def _errors(intervals: list[dict[str, Any]], made: str) -> RateSeries | None:
    """Failed requests (``errors`` + ``timeouts``) in percent of all requests tried, per
    interval and whole; None for a tool that does not count them."""
    if not any(name in i["counters"] for i in intervals for name in ERROR_COUNTERS):
        return None
    samples, tries = [], []
    for item in intervals:
        failed = sum(float(item["counters"].get(name, 0.0)) for name in ERROR_COUNTERS)
        tried = failed + float(item["counters"].get(made, 0.0))
        if tried > 0:
            samples.append(100 * failed / tried)
            tries.append(tried)
    return RateSeries(_weighted_mean(samples, tries), samples, tries)


def _rates(intervals: list[dict[str, Any]], metric: str) -> RateSeries:
    """Each interval's rate of ``metric``, weighted by its width in the whole."""
    samples, widths = [], []
    for item in intervals:
        value = rate(item, metric)
        span = float(item["end"]) - float(item["start"])
        if value is not None and span > 0:
            samples.append(value)
            widths.append(span)
    return RateSeries(_weighted_mean(samples, widths), samples, widths)


def _weighted_mean(values: list[float], weights: list[float]) -> float | None:
    """The mean of ``values`` weighted by ``weights`` (None when there are none)."""
    if not weights:
        return None
    return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


def _latency(
    repetitions: list[dict[str, Any]], intervals: list[dict[str, Any]]
) -> dict[str, LatencySeries]:
    merged: dict[str, Histogram] = {}
    for test in repetitions:
        for name, data in (test.get("histograms") or {}).items():
            if data.get("encoded"):
                with contextlib.suppress(ValueError):  # a damaged blob: left out
                    merged.setdefault(name, Histogram()).merge_encoded(data["encoded"])
    found = {}
    for name, hist in merged.items():
        if not hist.count:
            continue
        whole = {label: hist.value_at(p) for label, p in PERCENTILES}
        samples: dict[str, list[float]] = {label: [] for label, _ in PERCENTILES}
        for item in intervals:
            stored = ((item["histograms"].get(name) or {}).get("percentiles")) or {}
            for label, p in PERCENTILES:
                value = stored.get(f"{p:g}")
                if value is not None:
                    samples[label].append(float(value))
        found[name] = LatencySeries(whole, samples, _blocks(intervals, name))
    return found


def _blocks(intervals: list[dict[str, Any]], name: str) -> BlockCounts:
    """The intervals' ``name`` histograms merged per block of neighbours, as buckets."""
    blocks = []
    for group in groups(len(intervals)):
        merged = Histogram()
        for index in group:
            data = intervals[index]["histograms"].get(name) or {}
            if data.get("count") and data.get("encoded"):
                with contextlib.suppress(ValueError):  # a damaged blob: left out
                    merged.merge_encoded(data["encoded"])
        blocks.append(merged.buckets() if merged.count else [])
    return BlockCounts.of(blocks)
