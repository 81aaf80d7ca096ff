"""Read stored runs into a ``Report``: one pass over each workload's iterations."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from squall.iteration import IterationResult
from squall.reports.exporters.base import RunData
from squall.reports.html.model import (
    FailureGroup,
    Marker,
    Report,
    RunView,
    WorkloadGroup,
    WorkloadView,
)
from squall.reports.html.output import OutputDigest
from squall.reports.redact import redact_text
from squall.results.records import WorkloadRecord
from squall.stats.histogram import Histogram
from squall.stats.timeline import DEFAULT_BINS, Timeline

MAX_FAILURE_GROUPS = 20
MAX_EXAMPLES = 5
MAX_TRACEBACK = 8000

MarkerSource = Callable[[WorkloadRecord, float], list[Marker]]
"""Given a workload and the wall-clock time of its load start, markers to draw."""


def hook_markers(workload: WorkloadRecord, wall_start: float) -> list[Marker]:
    if workload.summary is None:
        return []
    return [
        Marker(
            start=hook.started_at - wall_start,
            end=hook.finished_at - wall_start,
            label=f"{hook.action} ({hook.description or hook.trigger})",
            kind="hook",
            failed=hook.status != "success",
        )
        for hook in workload.summary.hook_results
    ]


MARKER_SOURCES: list[MarkerSource] = [hook_markers]


class FailureDigest:
    """Groups failed iterations by (type, message); keeps a traceback per group."""

    def __init__(self) -> None:
        self._groups: dict[tuple[str, str], tuple[int, list[int], str]] = {}
        self.other = 0

    def add(self, it: IterationResult) -> None:
        if it.error is None:
            return
        key = (it.error.type, it.error.message)
        found = self._groups.get(key)
        if found is None:
            if len(self._groups) >= MAX_FAILURE_GROUPS:
                self.other += 1
                return
            trace = redact_text(it.error.traceback[-MAX_TRACEBACK:])
            self._groups[key] = (1, [it.number], trace)
            return
        count, numbers, trace = found
        if len(numbers) < MAX_EXAMPLES:
            numbers.append(it.number)
        self._groups[key] = (count + 1, numbers, trace)

    def groups(self) -> list[FailureGroup]:
        found = [
            FailureGroup(kind, redact_text(message), count, numbers, trace)
            for (kind, message), (count, numbers, trace) in self._groups.items()
        ]
        return sorted(found, key=lambda g: -g.count)


def collect(
    runs: Sequence[RunData],
    bins: int = DEFAULT_BINS,
    run_markers: Mapping[str, Sequence[Marker]] | None = None,
) -> Report:
    """The report of ``runs``; ``run_markers`` (run id -> markers in wall-clock seconds,
    e.g. fault windows) are drawn on every workload of that run."""
    extra = run_markers or {}
    views: dict[str, WorkloadGroup] = {}
    run_views = []
    for index, run in enumerate(runs):
        label = _label(run, len(runs))
        run_views.append(RunView(index, label, run.record))
        for workload in run.record.workloads:
            place = f"{workload.subtask_index}.{workload.task_index}"
            key = place if workload.cloud is None else f"{place} @ {workload.cloud}"
            group = views.get(key)
            if group is None:
                title = f"[{place}] {workload.subtask_title} — {_scenario(workload)}"
                if workload.cloud:
                    title += f" @ {workload.cloud}"
                group = views[key] = WorkloadGroup(key, title, [])
            markers = extra.get(run.record.id, ())
            group.views.append(_view(run, index, label, workload, bins, markers))
    return Report(run_views, list(views.values()), time.time())


def _view(
    run: RunData,
    index: int,
    label: str,
    workload: WorkloadRecord,
    bins: int,
    wall_markers: Sequence[Marker],
) -> WorkloadView:
    timeline = Timeline(bins)
    digest = FailureDigest()
    output = OutputDigest()
    for it in run.iterations(workload.id):
        timeline.add(it)
        digest.add(it)
        output.add(it)
    wall_start = timeline.wall_start
    if wall_start is None:
        wall_start = (workload.summary.start_time if workload.summary else None) or 0.0
    markers = [m for source in MARKER_SOURCES for m in source(workload, wall_start)]
    markers += [
        replace(m, start=m.start - wall_start, end=m.end - wall_start) for m in wall_markers
    ]
    return WorkloadView(
        run_index=index,
        run_label=label,
        record=workload,
        timeline=timeline.finish(),
        failures=digest.groups(),
        other_failures=digest.other,
        markers=markers,
        histograms=_histograms(workload),
        wall_start=wall_start,
        output=output if output.additive or output.complete else None,
    )


def _histograms(workload: WorkloadRecord) -> dict[str, list[tuple[float, int]]]:
    if workload.summary is None:
        return {}
    found = {}
    for name, blob in workload.summary.histograms.items():
        try:
            found[name] = Histogram.decode(blob).buckets()
        except ValueError:
            continue  # a damaged blob: the table still shows the exact figures
    return found


def _scenario(workload: WorkloadRecord) -> str:
    if workload.summary is not None:
        return workload.summary.scenario
    scenario = workload.config.get("scenario")
    if isinstance(scenario, dict):
        return str(scenario.get("name", "?"))
    return "?"


def _label(run: RunData, count: int) -> str:
    short = run.record.id[:8]
    return short if count > 1 else f"{short} {run.record.title}".strip()
