"""Figures computed from iteration columns, the same way for both tools.

Pure functions. Times are seconds; starts are relative to the workload's first start.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from enginebench.results import WorkloadRun


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Linear interpolation at rank (n-1)·p, as Rally and squall's summary compute it."""
    if not sorted_values:
        raise ValueError("percentile of no values")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"percentile fraction must be within [0, 1], got {p}")
    rank = (len(sorted_values) - 1) * p
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return sorted_values[low]
    weight = rank - low
    return sorted_values[low] * (1.0 - weight) + sorted_values[high] * weight


@dataclass(frozen=True, slots=True)
class Distribution:
    """Exact order statistics of a set of durations."""

    count: int
    min: float
    median: float
    p90: float
    p95: float
    p99: float
    max: float
    avg: float


def distribution(values: Sequence[float]) -> Distribution:
    ordered = sorted(values)
    return Distribution(
        count=len(ordered),
        min=ordered[0],
        median=percentile(ordered, 0.5),
        p90=percentile(ordered, 0.9),
        p95=percentile(ordered, 0.95),
        p99=percentile(ordered, 0.99),
        max=ordered[-1],
        avg=math.fsum(ordered) / len(ordered),
    )


def successful_durations(run: WorkloadRun) -> list[float]:
    return [d for d, bad in zip(run.durations, run.failed, strict=True) if not bad]


def completion_span(run: WorkloadRun) -> float:
    """From the first start to the last end: the load's length as the iterations saw it."""
    if not run.starts:
        raise ValueError(f"{run.tool}: no iterations recorded")
    return max(s + d for s, d in zip(run.starts, run.durations, strict=True))


def completion_rate(run: WorkloadRun) -> float:
    """Iterations finished per second over :func:`completion_span` (closed-loop runners)."""
    return run.recorded / completion_span(run)


def start_rate(run: WorkloadRun) -> float:
    """Starts per second between the first and the last start (open-loop runners).

    n starts at a steady rate r span (n-1)/r seconds, so this is r exactly when the
    runner keeps its rate.
    """
    if run.recorded < 2:
        raise ValueError(f"{run.tool}: a start rate needs two iterations")
    return (run.recorded - 1) / run.starts[-1]


def per_second_counts(starts: Sequence[float]) -> list[int]:
    """How many iterations started in each whole second after the first start."""
    if not starts:
        return []
    counts = [0] * (math.floor(max(starts)) + 1)
    for s in starts:
        counts[math.floor(s)] += 1
    return counts


def plateau(counts: Sequence[int]) -> float:
    """The steady per-second rate a ramp settled at.

    The median of the whole seconds in the second half of the run; the last bucket
    (usually partial) is left out.
    """
    full = list(counts[:-1]) if len(counts) > 1 else list(counts)
    if not full:
        raise ValueError("no whole seconds to take a plateau from")
    tail = sorted(full[len(full) // 2 :])
    return percentile([float(c) for c in tail], 0.5)


def max_start_lag(run: WorkloadRun) -> float | None:
    """The largest delay between an intended and an actual start (squall records both)."""
    if run.scheduled is None:
        return None
    return max(s - sch for s, sch in zip(run.starts, run.scheduled, strict=True))
