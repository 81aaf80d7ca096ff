"""Write the HTML report of stored runs: the entry point the API calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, TextIO

from squall.reports.exporters.base import RunData
from squall.reports.html.collect import collect
from squall.reports.html.dataplane import collect_dataplane
from squall.reports.html.model import Marker, Report, ResilienceView
from squall.reports.html.page import write_page
from squall.reports.html.resilience import RunResilience, resilience_view
from squall.stats.timeline import DEFAULT_BINS


def write_report(
    runs: Sequence[RunData],
    out: TextIO,
    *,
    bins: int = DEFAULT_BINS,
    run_markers: Mapping[str, Sequence[Marker]] | None = None,
    resilience: Mapping[str, RunResilience] | None = None,
    dataplane: Sequence[dict[str, Any]] = (),
) -> None:
    """One self-contained HTML page about ``runs`` (overlaid when there are several).

    ``run_markers``: per run id, bands in wall-clock seconds (faults) for the time charts;
    ``resilience``: per run id, its monitor samples and fault events (analysed once the
    iterations have been read: give the run a ``RunResilience.recording`` source);
    ``dataplane``: stored data-plane runs (``squall.dataplane.run/1`` documents).
    """
    report = collect(runs, bins, run_markers)
    dp_runs, dp_groups = collect_dataplane(dataplane, first_index=len(runs))
    report = replace(
        report,
        resilience=_resilience(report, resilience or {}),
        dataplane_runs=dp_runs,
        dataplane=dp_groups,
    )
    write_page(report, out)


def _resilience(report: Report, found: Mapping[str, RunResilience]) -> list[ResilienceView]:
    views = []
    for run in report.runs:
        data = found.get(run.record.id)
        if data is None:
            continue
        view = resilience_view(
            run.index,
            run.label,
            run.record.created_at,
            data.samples,
            data.events,
            data.analysis(),
            _load_start(report, run.index),
        )
        if view is not None:
            views.append(view)
    return views


def _load_start(report: Report, run_index: int) -> float | None:
    """Wall-clock time the run's first workload started its load (None: no load)."""
    starts = [
        view.wall_start
        for group in report.groups
        for view in group.views
        if view.run_index == run_index and view.wall_start > 0
    ]
    return min(starts, default=None)
