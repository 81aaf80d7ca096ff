"""The impact of a run's faults, from its stored samples, events and iterations.

Per monitored target: downtime windows, total and longest downtime. Per fault (an
``inject`` .. ``restore`` pair of events on one target): for each monitored target,
time to detect, downtime, recovery after restore, MTTR and latency degradation
against the baseline (successful samples before the first fault); and per workload,
the iterations started inside the fault, how many failed, and the inflation of their
mean duration over the workload's baseline (median duration before the first fault).

Samples count at the time their probe ended (start + latency): a probe that hangs
from before a fault until it fails tells of the fault when it fails.

**Resilience score** (0-100, comparable between runs of the same task)::

    score = 100 * A * S * R
    A = 1 - sum(downtime of each target) / (targets * observed seconds)   availability
    S = 1 - failed iterations / iterations                                 load success
    R = faults restored and recovered / faults                             recovery

A run without monitors has A = 1, without iterations S = 1, without faults R = 1.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from squall.results.samples import FaultRecord, MonitorSample, SampleStore
from squall.results.store import Store
from squall.stats.downtime import (
    FaultSpan,
    Impact,
    Point,
    Window,
    baseline_latency,
    downtime_windows,
    failed_between,
    impact,
    longest_downtime,
    total_downtime,
)

#: a fault's effect may last past its restore by this much (or up to the next fault)
#: and still be its own
GRACE = 120.0


@dataclass(frozen=True)
class TargetDowntime:
    monitor: str
    target: str
    samples: int
    windows: list[Window]
    downtime: float
    longest: float
    baseline: float | None


@dataclass(frozen=True)
class FaultImpact:
    fault: FaultSpan
    target: str
    recovered: bool
    per_target: dict[str, Impact]
    iterations: tuple[int, int]
    """(failed, total) iterations started between injection and recovery."""
    workloads: dict[str, WorkloadImpact] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkloadImpact:
    """One workload during one fault."""

    failed: int
    total: int
    inflation: float | None
    """Mean duration of its successful iterations during the fault over its baseline."""


@dataclass
class ResilienceReport:
    run_id: str
    targets: list[TargetDowntime] = field(default_factory=list)
    faults: list[FaultImpact] = field(default_factory=list)
    events: list[FaultRecord] = field(default_factory=list)
    availability: float = 1.0
    success: float = 1.0
    recovery: float = 1.0
    started: float | None = None
    """Wall-clock time of the first sample or event: times are shown relative to it."""

    @property
    def score(self) -> float:
        return 100.0 * self.availability * self.success * self.recovery

    @property
    def empty(self) -> bool:
        """True for a run that had neither monitors nor faults (nothing to show)."""
        return not (self.targets or self.faults or self.events)


def fault_spans(events: list[FaultRecord]) -> list[tuple[FaultSpan, str, bool, float | None]]:
    """(span, target, recovered, recovered at) for each injection, in time order."""
    faults: dict[tuple[str, str], list[list[FaultRecord]]] = defaultdict(list)
    for event in sorted(events, key=lambda e: e.at):
        key = (event.disruptor, event.target)
        if event.phase == "inject":
            faults[key].append([event])  # each injection starts a fault of its own
        elif faults[key]:
            faults[key][-1].append(event)
    spans = []
    for (disruptor, target), sequences in faults.items():
        for seq in sequences:
            inject = seq[0]
            restore = next((e for e in seq if e.phase == "restore"), None)
            recovered = next((e for e in seq if e.phase == "recovered"), None)
            ok = restore is not None and restore.ok and (recovered is None or recovered.ok)
            span = FaultSpan(disruptor, inject.at, restore.at if restore else None)
            spans.append((span, target, ok, recovered.at if recovered else None))
    return sorted(spans, key=lambda s: s[0].injected)


def analyse(
    run_id: str,
    samples: list[MonitorSample],
    events: list[FaultRecord],
    iterations: list[Point] | dict[str, list[Point]],
) -> ResilienceReport:
    """The report from raw material (pure; ``report`` reads it from a store).

    ``iterations``: per workload label, each iteration as (start, ok, duration).
    """
    by_workload = iterations if isinstance(iterations, dict) else {"load": iterations}
    iterations = [p for points in by_workload.values() for p in points]
    report = ResilienceReport(run_id, events=events)
    report.started = min([s.at for s in samples] + [e.at for e in events], default=None)
    spans = fault_spans(events)
    first_fault = spans[0][0].injected if spans else None
    series: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for s in samples:  # a probe's result is known when it ends
        series[(s.monitor, s.target)].append(Point(s.at + (s.latency or 0.0), s.ok, s.latency))
    for (monitor, target), points in sorted(series.items()):
        last = max(p.t for p in points)
        windows = downtime_windows(points)
        report.targets.append(
            TargetDowntime(
                monitor,
                target,
                len(points),
                windows,
                total_downtime(windows, last),
                longest_downtime(windows, last),
                baseline_latency(points, first_fault),
            )
        )
    baselines = {(t.monitor, t.target): t.baseline for t in report.targets}
    for number, (span, target, ok, recovered_at) in enumerate(spans):
        grace = GRACE
        if number + 1 < len(spans) and span.restored is not None:  # not past the next fault
            grace = max(0.0, min(grace, spans[number + 1][0].injected - span.restored))
        per_target = {
            f"{m}:{t}": impact(points, span, baseline=baselines[(m, t)], grace=grace)
            for (m, t), points in sorted(series.items())
        }
        end = recovered_at if recovered_at is not None else span.restored
        workloads = {
            label: _workload_impact(points, span, end, first_fault)
            for label, points in by_workload.items()
        }
        report.faults.append(
            FaultImpact(
                span,
                target,
                ok,
                per_target,
                failed_between(iterations, span.injected, end),
                workloads,
            )
        )
    report.availability = _availability(series)
    if iterations:
        report.success = 1 - sum(1 for p in iterations if not p.ok) / len(iterations)
    if spans:
        report.recovery = sum(1 for s in spans if s[2]) / len(spans)
    return report


def _workload_impact(
    points: list[Point], span: FaultSpan, end: float | None, first_fault: float | None
) -> WorkloadImpact:
    failed, total = failed_between(points, span.injected, end)
    base = baseline_latency(points, first_fault)
    stop = end if end is not None else float("inf")
    during = [
        p.latency for p in points if p.ok and p.latency is not None and span.injected <= p.t <= stop
    ]
    inflation = sum(during) / len(during) / base if base and during else None
    return WorkloadImpact(failed, total, inflation)


def _availability(series: dict[tuple[str, str], list[Point]]) -> float:
    if not series:
        return 1.0
    start = min(p.t for pts in series.values() for p in pts)
    end = max(p.t for pts in series.values() for p in pts)
    span = end - start
    if span <= 0:
        return 1.0 if all(p.ok for pts in series.values() for p in pts) else 0.0
    down = sum(total_downtime(downtime_windows(pts), end) for pts in series.values())
    return max(0.0, 1 - down / (len(series) * span))


def report(store: Store, ref: str) -> ResilienceReport:
    """The resilience report of run ``ref`` (id, unique prefix or 'last')."""
    run = store.get_run(ref)
    stored = SampleStore(store)
    samples, events = stored.samples(run.id), stored.events(run.id)
    if not samples and not events:  # no resilience side: the iterations need not be read
        return ResilienceReport(run.id)
    iterations = {
        f"{w.subtask_index}.{w.workload_index} {w.config.get('scenario', {}).get('name', '?')}": [
            Point(it.timestamp, it.error is None, it.duration) for it in store.iterations(w.id)
        ]
        for w in run.workloads
    }
    return analyse(run.id, samples, events, iterations)
