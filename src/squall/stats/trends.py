"""A workload's figures over a series of runs (what ``squall task trends`` shows)."""

from __future__ import annotations

from dataclasses import dataclass

from squall.stats.compare import Verdict


@dataclass(frozen=True, slots=True)
class RunBrief:
    """What a comparison or a trend says of a run (a task run or a data-plane run)."""

    id: str
    title: str
    created_at: float


@dataclass(frozen=True, slots=True)
class TrendPoint:
    run_id: str
    created_at: float
    p50: float | None
    p95: float | None
    p99: float | None
    throughput: float | None
    failure_rate: float | None
    versus_previous: Verdict | None  # None for the first point


@dataclass(frozen=True, slots=True)
class Trend:
    label: str
    points: list[TrendPoint]
    unit: str = "iterations/s"  # of ``throughput``: a data-plane test's headline rate
    failures: str = "failed iterations"  # what ``failure_rate`` counts
