"""A run's monitor samples and fault events, ready to draw (the report's resilience part).

Second 0 is the run's creation (or its first probe, if earlier). A target probed at
most ``MAX_POINTS`` times keeps every probe; beyond that its probes are cut into
``MAX_POINTS`` bins, each drawn as its slowest successful probe and its count of
failed ones, so an hour of one-second probes stays small. Downtime windows and the
impact figures come whole from the resilience analysis (``squall.api.resilience``),
fed with the iterations as the report reads them anyway (``RunResilience.recording``):
one pass over a million iterations, not two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from squall.api.resilience import ResilienceReport, analyse
from squall.iteration import IterationResult
from squall.reports.exporters.base import IterationSource
from squall.reports.html.faults import fault_markers
from squall.reports.html.model import Marker, MonitorSeries, ResilienceView
from squall.reports.redact import redact_text
from squall.results.records import RunRecord, WorkloadRecord
from squall.results.samples import FaultRecord, MonitorSample
from squall.stats.downtime import Point

MAX_POINTS = 240


@dataclass(slots=True)
class RunResilience:
    """One run's monitor samples and fault events, and its iterations as (start, ok,
    duration) per workload once the report has read them."""

    run_id: str
    samples: Sequence[MonitorSample]
    events: Sequence[FaultRecord]
    points: dict[str, list[Point]] = field(default_factory=dict)

    def recording(self, record: RunRecord, source: IterationSource) -> IterationSource:
        """``source``, noting each iteration it yields for the analysis."""
        labels = {w.id: workload_label(w) for w in record.workloads}

        def read(workload_id: int) -> Iterator[IterationResult]:
            points = self.points.setdefault(labels.get(workload_id, str(workload_id)), [])
            for it in source(workload_id):
                points.append(Point(it.timestamp, it.error is None, it.duration))
                yield it

        return read

    def analysis(self) -> ResilienceReport:
        """The resilience figures (the iterations' part once they have been read)."""
        return analyse(self.run_id, list(self.samples), list(self.events), self.points)


def workload_label(workload: WorkloadRecord) -> str:
    """How ``squall faults report`` names a workload."""
    scenario = workload.config.get("scenario", {})
    name = scenario.get("name", "?") if isinstance(scenario, dict) else "?"
    return f"{workload.subtask_index}.{workload.workload_index} {name}"


def resilience_view(
    run_index: int,
    run_label: str,
    created_at: float,
    samples: Sequence[MonitorSample],
    events: Sequence[FaultRecord],
    analysis: ResilienceReport,
    load_start: float | None = None,
) -> ResilienceView | None:
    """The view of one run, or None when it has neither probes nor faults.

    ``load_start``: wall-clock time of the run's load start, if it had load.
    """
    if not samples and not events:
        return None
    times = [s.at for s in samples] + [e.at for e in events]
    origin = min([created_at, *times])
    by_target: dict[tuple[str, str], list[MonitorSample]] = defaultdict(list)
    for sample in samples:
        by_target[(sample.monitor, sample.target)].append(sample)
    series = [
        monitor_series(monitor, target, probes, origin)
        for (monitor, target), probes in sorted(by_target.items())
    ]
    faults = [replace(m, start=m.start - origin, end=m.end - origin) for m in fault_markers(events)]
    return ResilienceView(
        run_index=run_index,
        run_label=run_label,
        origin=origin,
        end=max(times) - origin,
        series=series,
        faults=faults,
        analysis=analysis,
        load_start=0.0 if load_start is None else load_start - origin,
    )


def monitor_series(
    monitor: str, target: str, probes: Sequence[MonitorSample], origin: float
) -> MonitorSeries:
    """Every probe when few, else ``MAX_POINTS`` bins (slowest success, failures)."""
    ordered = sorted(probes, key=lambda s: s.at)
    target = redact_text(target)
    if len(ordered) <= MAX_POINTS:
        return MonitorSeries(
            monitor,
            target,
            [_r(s.at - origin) for s in ordered],
            [s.latency if s.ok else None for s in ordered],
            [0 if s.ok else 1 for s in ordered],
        )
    first, last = ordered[0].at, ordered[-1].at
    width = (last - first) / MAX_POINTS or 1.0
    latency: list[float | None] = [None] * MAX_POINTS
    failed = [0] * MAX_POINTS
    seen = [False] * MAX_POINTS
    for sample in ordered:
        index = min(MAX_POINTS - 1, int((sample.at - first) / width))
        seen[index] = True
        if not sample.ok:
            failed[index] += 1
        elif sample.latency is not None:
            slowest = latency[index]
            latency[index] = sample.latency if slowest is None else max(slowest, sample.latency)
    kept = [i for i in range(MAX_POINTS) if seen[i]]
    return MonitorSeries(
        monitor,
        target,
        [_r(first + (i + 0.5) * width - origin) for i in kept],
        [latency[i] for i in kept],
        [failed[i] for i in kept],
    )


def downtime_bands(analysis: ResilienceReport, until: float) -> list[Marker]:
    """Each target's downtime windows as bands in wall-clock seconds (open ones end at
    ``until``)."""
    return [
        Marker(
            window.start,
            window.end if window.end is not None else until,
            redact_text(f"{target.monitor}:{target.target} down"),
            kind="downtime",
        )
        for target in analysis.targets
        for window in target.windows
    ]


def downtime_markers(view: ResilienceView) -> list[Marker]:
    """The downtime bands in seconds since the view's origin."""
    bands = downtime_bands(view.analysis, view.origin + view.end)
    return [replace(m, start=m.start - view.origin, end=m.end - view.origin) for m in bands]


def _r(value: float) -> float:
    return round(value, 3)
