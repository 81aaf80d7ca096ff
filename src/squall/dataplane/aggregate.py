"""Per-pair measurements -> one test's figures: totals, intervals, hosts, a host matrix (pure).

Histograms are merged losslessly (HdrHistogram add), never averaged; counters are
summed, except the tool's ``averaged`` ones (jitter, loss %), which are means over the
pairs that reported. Intervals are merged by their start time. The source x destination
matrix holds the tool's headline counter per (client host, server host); a host whose
headline, as source or destination, is below ``bad_ratio`` of the median host, or whose
pairs failed, is flagged.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from squall.dataplane.tools.base import (
    IntervalMeasurement,
    Measurement,
    merge_counters,
    merge_histograms,
)
from squall.stats.histogram import Histogram

BAD_RATIO = 0.5


@dataclass
class PairOutcome:
    client: str
    server: str
    client_host: str
    server_host: str
    status: str  # ok | error | lost | timeout | aborted (the run was interrupted)
    measurement: Measurement | None = None
    start_skew: float | None = None  # actual start - start_at, seconds (controller clock)
    error: str | None = None


@dataclass
class HostFigures:
    counters: dict[str, float] = field(default_factory=dict)
    histograms: dict[str, Histogram] = field(default_factory=dict)
    pairs: int = 0
    failed: int = 0


@dataclass
class Matrix:
    sources: list[str]
    destinations: list[str]
    values: list[list[float | None]]  # values[source][destination]
    metric: str


@dataclass
class RepetitionSummary:
    test: str
    tool: str
    repetition: int
    start_at: float
    pairs: list[PairOutcome]
    counters: dict[str, float] = field(default_factory=dict)
    histograms: dict[str, Histogram] = field(default_factory=dict)
    intervals: list[IntervalMeasurement] = field(default_factory=list)
    sources: dict[str, HostFigures] = field(default_factory=dict)
    destinations: dict[str, HostFigures] = field(default_factory=dict)
    matrix: Matrix | None = None
    bad_hosts: list[str] = field(default_factory=list)
    max_skew: float | None = None
    p99_skew: float | None = None

    @property
    def partial(self) -> bool:
        return any(p.status != "ok" for p in self.pairs)

    @property
    def failed_agents(self) -> list[str]:
        """Clients whose pair failed (not those cut short by Ctrl-C)."""
        return sorted({p.client for p in self.pairs if p.status not in ("ok", "aborted")})


def summarize(
    summary: RepetitionSummary,
    *,
    averaged: frozenset[str] = frozenset(),
    headline: str = "",
    step: float = 1.0,
    intervals: IntervalMerger | None = None,
) -> RepetitionSummary:
    """Fill ``summary`` (identity and pairs set) with totals, intervals, hosts and matrix.

    ``intervals``: the pairs' intervals already merged (their measurements' own then go
    unread), so that a caller can drop each pair's as soon as it is merged.
    """
    pairs = summary.pairs
    measured = [p for p in pairs if p.measurement is not None and p.measurement.error is None]
    sums: dict[str, float] = {}
    for pair in measured:
        assert pair.measurement is not None
        merge_counters(sums, pair.measurement.counters)
        merge_histograms(summary.histograms, pair.measurement.histograms)
        _host(summary.sources, pair.client_host, pair)
        _host(summary.destinations, pair.server_host, pair)
    for pair in pairs:
        if pair not in measured:
            _failed(summary.sources, pair.client_host)
            _failed(summary.destinations, pair.server_host)
    summary.counters = _finish_counters(sums, len(measured), averaged)
    if intervals is None:
        intervals = IntervalMerger(step, averaged)
        for pair in measured:
            assert pair.measurement is not None
            intervals.add(pair.measurement)
    summary.intervals = intervals.result()
    _skew(summary, pairs)
    if headline:
        summary.matrix = _matrix(pairs, headline)
        summary.bad_hosts = bad_hosts(summary, headline)
    return summary


def _host(table: dict[str, HostFigures], host: str, pair: PairOutcome) -> None:
    figures = table.setdefault(host, HostFigures())
    figures.pairs += 1
    assert pair.measurement is not None
    merge_counters(figures.counters, pair.measurement.counters)
    merge_histograms(figures.histograms, pair.measurement.histograms)


def _failed(table: dict[str, HostFigures], host: str) -> None:
    figures = table.setdefault(host, HostFigures())
    figures.pairs += 1
    figures.failed += 1


def _finish_counters(sums: dict[str, float], n: int, averaged: frozenset[str]) -> dict[str, float]:
    return {k: (v / n if k in averaged and n else v) for k, v in sums.items()}


class IntervalMerger:
    """Intervals of many agents merged by their number (start / report interval)."""

    def __init__(self, step: float = 1.0, averaged: frozenset[str] = frozenset()) -> None:
        self.step = step
        self.averaged = averaged
        self._merged: dict[int, IntervalMeasurement] = {}
        self._counts: dict[int, int] = {}

    def add(self, measurement: Measurement) -> None:
        for item in measurement.intervals:
            step = self.step
            key = round(item.start / step) if step > 0 else round(item.start * 1000)
            into = self._merged.setdefault(key, IntervalMeasurement(item.start, item.end))
            into.start = min(into.start, item.start)
            into.end = max(into.end, item.end)
            self._counts[key] = self._counts.get(key, 0) + 1
            merge_counters(into.counters, item.counters)
            merge_histograms(into.histograms, item.histograms)

    def result(self) -> list[IntervalMeasurement]:
        merged = [self._merged[k] for k in sorted(self._merged)]
        for key, item in zip(sorted(self._merged), merged, strict=True):
            item.counters = _finish_counters(item.counters, self._counts[key], self.averaged)
        return merged


def _skew(summary: RepetitionSummary, pairs: list[PairOutcome]) -> None:
    skews = sorted(abs(p.start_skew) for p in pairs if p.start_skew is not None)
    if not skews:
        return
    summary.max_skew = skews[-1]
    summary.p99_skew = skews[min(len(skews) - 1, int(0.99 * len(skews)))]


def _matrix(pairs: list[PairOutcome], metric: str) -> Matrix:
    sources = sorted({p.client_host for p in pairs})
    destinations = sorted({p.server_host for p in pairs})
    cells: dict[tuple[str, str], float | None] = {}
    for pair in pairs:
        value = None
        if pair.measurement is not None and pair.measurement.error is None:
            value = pair.measurement.counters.get(metric)
        key = (pair.client_host, pair.server_host)
        if value is not None:
            cells[key] = (cells.get(key) or 0.0) + value
        else:
            cells.setdefault(key, None)
    values = [[cells.get((s, d)) for d in destinations] for s in sources]
    return Matrix(sources, destinations, values, metric)


def bad_hosts(summary: RepetitionSummary, metric: str, ratio: float = BAD_RATIO) -> list[str]:
    """Hosts with failed pairs, or whose per-pair headline is below ``ratio`` x the median."""
    flagged: set[str] = set()
    for table in (summary.sources, summary.destinations):
        per_pair = {
            host: f.counters.get(metric, 0.0) / (f.pairs - f.failed)
            for host, f in table.items()
            if f.pairs > f.failed
        }
        flagged.update(host for host, f in table.items() if f.failed)
        if len(per_pair) >= 3:
            median = statistics.median(per_pair.values())
            flagged.update(h for h, v in per_pair.items() if median > 0 and v < ratio * median)
    return sorted(flagged)
