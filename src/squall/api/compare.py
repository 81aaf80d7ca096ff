"""Compare two runs, and follow a tag's runs over time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from squall.api._matching import TASK, common_keys
from squall.api.dataplane_compare import DataplaneComparison, compare_dataplane, dataplane_trends
from squall.api.dataplane_export import resolve
from squall.dataplane.store import DataplaneStore
from squall.errors import ConfigError, StoreError
from squall.results.records import RunRecord, WorkloadRecord, WorkloadSummary
from squall.results.store import Store
from squall.stats.compare import (
    CompareOptions,
    SeriesSide,
    Verdict,
    WorkloadComparison,
    WorkloadSide,
    compare_workload,
    worst,
)
from squall.stats.distribution import Distribution
from squall.stats.histogram import Histogram
from squall.stats.summary import TOTAL, TOTAL_DURATION, TOTAL_IDLE
from squall.stats.trends import RunBrief, Trend, TrendPoint

#: (subtask index, workload index as written, scenario, cloud): a workload written
#: once for several clouds is matched on each cloud, never one cloud's against
#: another's, whatever order the runs were given the clouds in
WorkloadKey = tuple[int, int, str, str | None]


@dataclass(frozen=True, slots=True)
class RunComparison:
    before: RunRecord
    after: RunRecord
    workloads: list[WorkloadComparison]
    unmatched: list[str]  # workloads present in one run only

    @property
    def verdict(self) -> Verdict:
        return worst(self.workloads)


@dataclass(frozen=True, slots=True)
class Trends:
    tag: str  # or the plan title followed
    runs: list[RunBrief]  # oldest first
    workloads: list[Trend]  # per workload, or per data-plane test


def find_any(store: Store, ref: str) -> RunRecord | dict[str, Any]:
    """The task run ``ref``, else the data-plane run ``ref`` (its stored document); 'last'
    is the newest task run, or the newest data-plane run when there is no task run."""
    try:
        return store.get_run(ref)
    except StoreError as task_error:
        try:
            return DataplaneStore(store).get(resolve(store, ref))
        except StoreError:
            raise StoreError(
                task_error.message,
                hint="`squall task list` shows the stored runs, `squall dataplane status` "
                "the data-plane runs",
            ) from None


def compare_any(
    store: Store, before_ref: str, after_ref: str, options: CompareOptions | None = None
) -> RunComparison | DataplaneComparison:
    """Two task runs, or two data-plane runs (each ref looked up among both kinds)."""
    return compare_found(store, find_any(store, before_ref), find_any(store, after_ref), options)


def compare_found(
    store: Store,
    first: RunRecord | dict[str, Any],
    second: RunRecord | dict[str, Any],
    options: CompareOptions | None = None,
) -> RunComparison | DataplaneComparison:
    """Two runs ``find_any`` found; a task run and a data-plane run are refused."""
    if isinstance(first, RunRecord) and isinstance(second, RunRecord):
        return compare_runs(store, first.id, second.id, options)
    if isinstance(first, dict) and isinstance(second, dict):
        return compare_dataplane(first, second, options or CompareOptions())
    task, plane = (first, second) if isinstance(first, RunRecord) else (second, first)
    assert isinstance(task, RunRecord) and isinstance(plane, dict)
    raise ConfigError(
        f"run {task.id[:8]} ({task.title!r}) is a task run and {str(plane['run'])[:8]} "
        f"({plane.get('title')!r}) a data-plane run: they measure different things",
        hint="compare two task runs, or two data-plane runs of the same plan",
    )


def compare_runs(
    store: Store, before_ref: str, after_ref: str, options: CompareOptions | None = None
) -> RunComparison:
    opts = options or CompareOptions()
    before, after = store.get_run(before_ref), store.get_run(after_ref)
    sides_a, sides_b = _sides(before), _sides(after)
    matched = common_keys(_brief(before), _brief(after), (sides_a, sides_b), TASK)
    workloads = [compare_workload(label(k), sides_a[k], sides_b[k], opts) for k in matched.common]
    return RunComparison(before, after, workloads, [label(k) for k in matched.unmatched])


def trends(store: Store, tag: str, options: CompareOptions | None = None) -> Trends:
    opts = options or CompareOptions(resamples=300)
    runs = list(reversed(store.list_runs(tag=tag)))
    if not runs:
        raise ConfigError(
            f"no run is tagged {tag!r}", hint="tag runs with: squall task start --tag"
        )
    series: dict[tuple[str, WorkloadKey], list[TrendPoint]] = {}
    previous: dict[tuple[str, WorkloadKey], WorkloadSide] = {}
    for run in runs:
        for key, side in _sides(run).items():
            task_key = (run.title, key)  # one tag may hold runs of several tasks
            verdict = None
            if task_key in previous:
                verdict = compare_workload(label(key), previous[task_key], side, opts).verdict
            series.setdefault(task_key, []).append(_point(run, side, verdict))
            previous[task_key] = side
    found = [Trend(f"{title}: {label(key)}", points) for (title, key), points in series.items()]
    return Trends(tag, [_brief(r) for r in runs], found)


def plan_trends(store: Store, title: str, options: CompareOptions | None = None) -> Trends:
    """The data-plane runs of the plan titled ``title``, oldest first, per test."""
    runs, found = dataplane_trends(store, title, options or CompareOptions(resamples=300))
    return Trends(title, runs, found)


def label(key: WorkloadKey) -> str:
    subtask, position, scenario, cloud = key
    text = f"[{subtask}.{position}] {scenario}"
    return text if cloud is None else f"{text} @ {cloud}"


def _brief(run: RunRecord) -> RunBrief:
    return RunBrief(run.id, run.title, run.created_at)


def _sides(run: RunRecord) -> dict[WorkloadKey, WorkloadSide]:
    found = {}
    for workload in run.workloads:
        if workload.summary is not None and workload.summary.total_iteration_count:
            found[_key(workload, workload.summary)] = workload_side(workload.summary)
    return found


def _key(workload: WorkloadRecord, summary: WorkloadSummary) -> WorkloadKey:
    return (workload.subtask_index, workload.task_index, summary.scenario, workload.cloud)


def workload_side(summary: WorkloadSummary) -> WorkloadSide:
    """A stored summary as compared: each row's histogram and failure count."""
    series = {}
    for row in summary.stats:
        blob = summary.histograms.get(row.name)
        if blob is None or row.count == 0 or (row.name == TOTAL_IDLE and not row.max):
            continue
        failures = round(row.count * (100 - row.success) / 100)
        distribution = Distribution.from_histogram(Histogram.decode(blob))
        series[row.name] = SeriesSide(distribution, row.count, failures)
    return WorkloadSide(
        series=series,
        iterations=summary.total_iteration_count,
        failed=summary.failed_iteration_count,
        load_duration=summary.load_duration,
    )


def _point(run: RunRecord, side: WorkloadSide, verdict: Verdict | None) -> TrendPoint:
    total = side.series.get(TOTAL_DURATION) or side.series.get(TOTAL)
    p50 = p95 = p99 = None
    if total is not None:
        p50, p95, p99 = (float(v) for v in total.distribution.quantiles([0.5, 0.95, 0.99]))
    rate = side.iterations / side.load_duration if side.load_duration > 0 else None
    failure_rate = 100 * side.failed / side.iterations if side.iterations else None
    return TrendPoint(run.id, run.created_at, p50, p95, p99, rate, failure_rate, verdict)
