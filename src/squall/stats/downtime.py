"""Downtime, recovery and degradation from a series of probe results. Pure.

The rally-runners analysis of os-faults experiments, modernised:

- **Downtime windows** (error clusters): a window opens at the first failed sample
  and closes at the first success that is *sustained* (followed by ``sustain - 1``
  more successes), so one lucky probe inside an outage does not split it. A window
  still open at the end of the series is reported open (``end`` None).
- **Impact of a fault** given its inject and restore times: time to detect (inject
  to the first failure), downtime (the windows that overlap the fault), time to
  recover after restore (restore to the window's end) and time to recover from the
  injection (MTTR).
- **Baseline and degradation**: the baseline is the median latency of successful
  samples before the first fault; a sliding window (``width`` seconds) of mean
  latency over ``threshold`` times the baseline is a degradation window. The
  degradation ratio of a fault is its mean latency over the baseline.

Every figure is quantised by the probe period: it is exact to within one period.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Point:
    """One probe result: when (seconds, any clock), whether it worked, how long it took."""

    t: float
    ok: bool
    latency: float | None = None


@dataclass(frozen=True, slots=True)
class Window:
    """``[start, end)``: from the first failure to the first sustained success."""

    start: float
    end: float | None
    failures: int = 0

    def duration(self, until: float | None = None) -> float | None:
        """Seconds down; an open window counts up to ``until`` (None if not given)."""
        end = self.end if self.end is not None else until
        return None if end is None else max(0.0, end - self.start)

    def overlaps(self, start: float, end: float | None) -> bool:
        mine = self.end if self.end is not None else float("inf")
        theirs = end if end is not None else float("inf")
        return self.start < theirs and start < mine


def downtime_windows(points: Sequence[Point], *, sustain: int = 2) -> list[Window]:
    """The downtime windows of a series (sorted by time here)."""
    series = sorted(points, key=lambda p: p.t)
    windows: list[Window] = []
    start: float | None = None
    failures = 0
    i = 0
    while i < len(series):
        point = series[i]
        if not point.ok:
            if start is None:
                start, failures = point.t, 0
            failures += 1
        elif start is not None and _sustained(series, i, sustain):
            windows.append(Window(start, point.t, failures))
            start = None
        i += 1
    if start is not None:
        windows.append(Window(start, None, failures))
    return windows


def _sustained(series: Sequence[Point], i: int, sustain: int) -> bool:
    """Successes from ``i`` on, ``sustain`` of them (or up to the end of the series)."""
    return all(p.ok for p in series[i : i + sustain])


def total_downtime(windows: Sequence[Window], until: float | None = None) -> float:
    return sum(w.duration(until) or 0.0 for w in windows)


def longest_downtime(windows: Sequence[Window], until: float | None = None) -> float:
    return max((w.duration(until) or 0.0 for w in windows), default=0.0)


def baseline_latency(points: Sequence[Point], before: float | None = None) -> float | None:
    """Median latency of successful samples before ``before`` (all of them if None)."""
    values = [
        p.latency
        for p in points
        if p.ok and p.latency is not None and (before is None or p.t < before)
    ]
    return statistics.median(values) if values else None


def degradation_windows(
    points: Sequence[Point], baseline: float, *, width: float, threshold: float = 1.5
) -> list[Window]:
    """Spans where the mean latency of the last ``width`` seconds of successful samples
    exceeds ``threshold`` times ``baseline``."""
    series = sorted((p for p in points if p.ok and p.latency is not None), key=lambda p: p.t)
    windows: list[Window] = []
    start: float | None = None
    lo, total = 0, 0.0
    for hi, point in enumerate(series):
        total += point.latency or 0.0
        while series[lo].t < point.t - width:
            total -= series[lo].latency or 0.0
            lo += 1
        slow = total / (hi - lo + 1) > threshold * baseline
        if slow and start is None:
            start = point.t
        elif not slow and start is not None:
            windows.append(Window(start, point.t))
            start = None
    if start is not None:
        windows.append(Window(start, None))
    return windows


@dataclass(frozen=True, slots=True)
class FaultSpan:
    """A fault as the timeline saw it."""

    label: str
    injected: float
    restored: float | None


@dataclass(frozen=True, slots=True)
class Impact:
    """What one fault did to one monitored target."""

    fault: str
    detect: float | None
    """Seconds from injection to the first failed probe (None: no failure seen)."""
    downtime: float
    recover_after_restore: float | None
    """Seconds from restore to the end of the last overlapping window."""
    mttr: float | None
    """Seconds from injection to recovery (the end of the last overlapping window)."""
    recovered: bool
    degradation: float | None
    """Mean latency of successful probes during the fault over the baseline."""


def impact(
    points: Sequence[Point],
    fault: FaultSpan,
    *,
    sustain: int = 2,
    baseline: float | None = None,
    grace: float = 0.0,
) -> Impact:
    """The impact of ``fault``: windows overlapping [injected, restored + grace]."""
    series = sorted(points, key=lambda p: p.t)
    last = series[-1].t if series else fault.injected
    until = None if fault.restored is None else fault.restored + grace
    hit = [
        w for w in downtime_windows(series, sustain=sustain) if w.overlaps(fault.injected, until)
    ]
    first_failure = next((p.t for p in series if not p.ok and p.t >= fault.injected), None)
    if until is not None and first_failure is not None and first_failure > until:
        first_failure = None
    recovered = all(w.end is not None for w in hit)
    end = max((w.end or last for w in hit), default=None)
    return Impact(
        fault=fault.label,
        detect=None if first_failure is None else first_failure - fault.injected,
        downtime=total_downtime(hit, last),
        recover_after_restore=(
            None if end is None or fault.restored is None else max(0.0, end - fault.restored)
        ),
        mttr=None if end is None or not recovered else end - fault.injected,
        recovered=recovered,
        degradation=_ratio(series, fault, baseline),
    )


def _ratio(points: Sequence[Point], fault: FaultSpan, baseline: float | None) -> float | None:
    if not baseline:
        return None
    end = fault.restored if fault.restored is not None else float("inf")
    during = [
        p.latency for p in points if p.ok and p.latency is not None and fault.injected <= p.t <= end
    ]
    return statistics.fmean(during) / baseline if during else None


def failed_between(points: Sequence[Point], start: float, end: float | None) -> tuple[int, int]:
    """(failed, total) of the operations started in ``[start, end]``."""
    stop = end if end is not None else float("inf")
    inside = [p for p in points if start <= p.t <= stop]
    return sum(1 for p in inside if not p.ok), len(inside)
