"""From parsed runs to figures: one function per benchmark group. Pure.

Either tool may be missing (``--no-rally`` for squall alone, ``--no-squall`` for a
Rally baseline): its value is then ``n/a`` and a goal on it fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from enginebench.figures import Bound, Figure, Goal, Subject, summary_mismatches
from enginebench.measures import (
    completion_rate,
    distribution,
    max_start_lag,
    per_second_counts,
    percentile,
    plateau,
    start_rate,
    successful_durations,
)
from enginebench.results import WorkloadRun

MB = 1024 * 1024


def _each(
    squall: WorkloadRun | None, rally: WorkloadRun | None, measure: Callable[[WorkloadRun], float]
) -> tuple[float | None, float | None]:
    return (
        None if squall is None else measure(squall),
        None if rally is None else measure(rally),
    )


def _detail(
    squall: WorkloadRun | None, rally: WorkloadRun | None, show: Callable[[WorkloadRun], str]
) -> str:
    parts = [f"{run.tool} {show(run)}" for run in (squall, rally) if run is not None]
    return ", ".join(parts)


def throughput(squall: WorkloadRun | None, rally: WorkloadRun | None) -> list[Figure]:
    """Figure (a): closed-loop iterations/s with a no-op scenario."""
    s, r = _each(squall, rally, completion_rate)
    by_load = _detail(
        squall, rally, lambda run: f"{run.iteration_count / run.load_duration:,.0f}/s"
    )
    return [
        Figure(
            name="c20-throughput",
            unit="it/s",
            squall=s,
            rally=r,
            goal=Goal(Subject.RATIO, Bound.AT_LEAST, 10.0),
            detail=f"by the tool's own load_duration: {by_load}",
        )
    ]


def _p99_ms(run: WorkloadRun) -> float:
    return 1000.0 * percentile(sorted(successful_durations(run)), 0.99)


def closed_loop(
    squall: WorkloadRun | None, rally: WorkloadRun | None, ideal_rate: float, sleep: float
) -> list[Figure]:
    """Figure (b): achieved rate as % of concurrency/sleep, and p99 of measured durations."""
    s_rate, r_rate = _each(squall, rally, lambda run: 100.0 * completion_rate(run) / ideal_rate)
    s_p99, r_p99 = _each(squall, rally, _p99_ms)
    return [
        Figure(
            name="c100-rate",
            unit="%",
            squall=s_rate,
            rally=r_rate,
            goal=Goal(Subject.SQUALL, Bound.AT_LEAST, 99.0),
            detail=f"ideal {ideal_rate:,.0f} it/s",
        ),
        Figure(
            name="c100-p99",
            unit="ms",
            squall=s_p99,
            rally=r_p99,
            goal=Goal(Subject.SQUALL, Bound.AT_MOST, 1000.0 * sleep * 1.05),
            detail=f"the scenario sleeps {1000.0 * sleep:g} ms; max "
            + _detail(squall, rally, lambda run: f"{1000.0 * max(run.durations):.1f} ms"),
        ),
    ]


def open_loop(
    squall: WorkloadRun | None, rally: WorkloadRun | None, target_rate: float
) -> list[Figure]:
    """Figure (c): the rps runner's achieved start rate as % of its target."""
    s, r = _each(squall, rally, lambda run: 100.0 * start_rate(run) / target_rate)
    detail = f"target {target_rate:,.0f} starts/s"
    lag = None if squall is None else max_start_lag(squall)
    if lag is not None:
        detail += f"; squall max start lag {1000.0 * lag:.1f} ms"
    return [
        Figure(
            name="rps1000-rate",
            unit="%",
            squall=s,
            rally=r,
            goal=Goal(Subject.SQUALL, Bound.AT_LEAST, 99.5),
            detail=detail,
        )
    ]


def ramp(squall: WorkloadRun | None, rally: WorkloadRun | None, end_rate: float) -> list[Figure]:
    """Figure (d): per-second starts of an rps ramp and the rate it settles at."""
    s, r = _each(squall, rally, lambda run: plateau(per_second_counts(run.starts)))
    lines = [
        f"per-second starts, {run.tool}: {per_second_counts(run.starts)}"
        for run in (squall, rally)
        if run is not None
    ]
    return [
        Figure(
            name="ramp-plateau",
            unit="it/s",
            squall=s,
            rally=r,
            goal=Goal(Subject.SQUALL, Bound.WITHIN, end_rate, tolerance=0.05 * end_rate),
            detail="\n    ".join(lines),
        )
    ]


@dataclass(frozen=True, slots=True)
class StoreSizes:
    """Bytes a run left behind: the database file(s) and the JSON export."""

    database: int
    json_export: int


def _size_figure(name: str, squall: int | None, rally: int | None, iterations: int) -> Figure:
    per_it = [
        f"{tool} {size / iterations:,.0f} B/it"
        for tool, size in (("squall", squall), ("rally", rally))
        if size is not None
    ]
    return Figure(
        name=name,
        unit="MB",
        squall=None if squall is None else squall / MB,
        rally=None if rally is None else rally / MB,
        goal=Goal(Subject.RATIO, Bound.AT_MOST, 0.1),
        detail=f"{iterations:,} iterations: " + ", ".join(per_it),
    )


def store(squall: StoreSizes | None, rally: StoreSizes | None, iterations: int) -> list[Figure]:
    """Figure (e): what a run of ``iterations`` weighs in each tool's store and export."""
    return [
        _size_figure(
            "store-sqlite",
            None if squall is None else squall.database,
            None if rally is None else rally.database,
            iterations,
        ),
        _size_figure(
            "store-json",
            None if squall is None else squall.json_export,
            None if rally is None else rally.json_export,
            iterations,
        ),
    ]


def _exactness_problems(run: WorkloadRun, expected: int, abs_tol: float) -> list[str]:
    problems = []
    if run.iteration_count != expected:
        problems.append(f"iteration count {run.iteration_count} != {expected}")
    if run.recorded != expected:
        problems.append(f"exported iterations {run.recorded} != {expected}")
    durations = successful_durations(run)
    if not durations:
        return [*problems, "no successful iteration to summarise"]
    return problems + summary_mismatches(run.summary, distribution(durations), abs_tol)


#: Float noise on a value rounded to the microsecond: under 1e-15 for durations below a
#: second (larger ones are covered by the comparison's relative tolerance, 1e-9).
ROUNDING_SLACK = 1e-12


def rounding_tolerance(run: WorkloadRun) -> float:
    """How far a summary figure may sit from the same figure over the exported durations.

    The tool computes its summary from exact durations; an export that rounds them to
    a step moves each by at most half that step. Min, max and percentiles are order
    statistics or interpolations between two (rounding keeps the order) and the mean
    is a mean, so none moves further than that: half a step, and no more.
    """
    return run.time_resolution / 2 + ROUNDING_SLACK


def million(
    run: WorkloadRun, expected: int, peak_rss_mb: float, abs_tol: float | None = None
) -> list[Figure]:
    """Figure (f): peak memory of a huge workload, and whether its summary is exact.

    The summary is checked against an exact computation over the exported iterations,
    within ``abs_tol`` seconds (default: what the export's rounding accounts for).
    """
    tolerance = rounding_tolerance(run) if abs_tol is None else abs_tol
    problems = _exactness_problems(run, expected, tolerance)
    return [
        Figure(
            name="million-rss",
            unit="MB",
            squall=peak_rss_mb,
            rally=None,
            goal=Goal(Subject.SQUALL, Bound.AT_MOST, 300.0),
            detail=f"{run.iteration_count:,} iterations, load {run.load_duration:,.1f} s",
        ),
        Figure(
            name="million-exact",
            unit="mismatches",
            squall=float(len(problems)),
            rally=None,
            goal=Goal(Subject.SQUALL, Bound.AT_MOST, 0.0),
            detail="; ".join(problems) or "count, min, median, p90, p95, p99, max, avg all exact",
        ),
    ]
