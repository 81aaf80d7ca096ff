"""The Resilience section: one run as ``resilience`` draws it, several runs side by side.

Several runs (before and after an upgrade, say) share one clock, each aligned at its
own load start (its first workload's), so the same fault at the same point of the
load lines up: a score table with a row per run; one *downtime windows* chart with a
row per (target, run); per monitored target one *probes* chart with each run's latency
overlaid; the downtime and fault tables with a run column. Every run keeps its colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from squall.reports.html.charts import Charts, Trace, colour, time_layout
from squall.reports.html.model import Marker, MonitorSeries, Report, ResilienceView
from squall.reports.html.sections import resilience
from squall.reports.html.text import esc, seconds, table
from squall.reports.redact import redact_text

X_TITLE = "seconds since load start"
PROBED = "#d9d9d9"
#: probe charts drawn (one per monitored target); the tables list every target
MAX_TARGET_CHARTS = 24
MAX_WINDOWS = 500  # per run; the longest are kept


def render(report: Report, charts: Charts) -> str | None:
    if len(report.resilience) <= 1:
        return resilience.render(report, charts)
    views = report.resilience
    html = _scores(views)
    if any(v.series for v in views):
        html += _windows(views, charts) + _probes(views, charts)
        rows = [
            [esc(v.run_label), *row] for v in views for row in resilience.target_rows(v.analysis)
        ]
        html += "<h4>Downtime per target</h4>" + table(["run", *resilience.TARGET_HEAD], rows)
    if any(v.analysis.faults for v in views):
        rows = [
            [esc(v.run_label), *row]
            for v in views
            for row in resilience.fault_rows(v.analysis.faults, _zero(v))
        ]
        head = ["run", *resilience.FAULT_HEAD]
        html += f"<h4>Faults</h4><p>Times are {X_TITLE}.</p>" + table(head, rows)
    return html


def _zero(view: ResilienceView) -> float:
    """Wall-clock time of the view's second 0 on the shared clock: its load start."""
    return view.origin + view.load_start


def _scores(views: Sequence[ResilienceView]) -> str:
    rows = []
    for view in views:
        analysis = view.analysis
        downtime = sum(t.downtime for t in analysis.targets)
        rows.append(
            [
                f'<span style="color:{colour(view.run_index)}">■</span> {esc(view.run_label)}',
                f"<b>{analysis.score:.1f}</b>",
                f"{analysis.availability * 100:.2f} %",
                f"{analysis.success * 100:.2f} %",
                f"{analysis.recovery * 100:.0f} %",
                str(len(analysis.faults)),
                str(len(analysis.targets)),
                seconds(downtime),
            ]
        )
    head = ["run", "resilience score", "availability", "load success", "faults recovered",
            "faults", "monitored targets", "downtime (all targets)"]  # fmt: skip
    return table(head, rows)


def _faults(views: Sequence[ResilienceView]) -> list[Marker]:
    """Every run's fault bands on the shared clock, labelled with the run."""
    return [
        replace(
            m,
            start=m.start - v.load_start,
            end=m.end - v.load_start,
            label=f"{v.run_label}: {m.label}",
        )
        for v in views
        for m in v.faults
    ]


def _windows(views: Sequence[ResilienceView], charts: Charts) -> str:
    """One row per (target, run): probed span in grey, downtime windows in the run's colour."""
    names = _target_names(views)
    rows = [_row(name, v) for name in names for v in views if name in _names(v)]
    traces: list[Trace] = [resilience.bars(_spans(views), "probed", PROBED)]
    note = ""
    for view in views:
        windows = _down(view)
        if len(windows) > MAX_WINDOWS:
            windows = sorted(windows, key=lambda w: w[1] - w[2])[:MAX_WINDOWS]
            note = f"<p>The {MAX_WINDOWS} longest downtime windows of a run are drawn.</p>"
        if windows:
            traces.append(
                resilience.bars(windows, f"{view.run_label} down", colour(view.run_index))
            )
    layout = time_layout("Downtime windows", "", _faults(views))
    layout["xaxis"]["title"]["text"] = X_TITLE
    layout["barmode"] = "overlay"
    layout["hovermode"] = "closest"
    layout["yaxis"] = {"type": "category", "automargin": True, "categoryarray": rows,
                       "autorange": "reversed"}  # fmt: skip
    return charts.add(traces, layout, 120 + 24 * len(rows)) + note


def _spans(views: Sequence[ResilienceView]) -> list[tuple[str, float, float]]:
    return [
        (_row(s.name, v), s.time[0] - v.load_start, s.time[-1] - v.load_start)
        for v in views
        for s in v.series
        if s.time
    ]


def _down(view: ResilienceView) -> list[tuple[str, float, float]]:
    zero, until = _zero(view), view.origin + view.end
    return [
        (
            _row(f"{t.monitor}:{t.target}", view),
            w.start - zero,
            (w.end if w.end is not None else until) - zero,
        )
        for t in view.analysis.targets
        for w in t.windows
    ]


def _row(name: str, view: ResilienceView) -> str:
    return redact_text(f"{name} · {view.run_label}")


def _names(view: ResilienceView) -> set[str]:
    return {s.name for s in view.series}


def _target_names(views: Sequence[ResilienceView]) -> list[str]:
    """Every monitored target of the runs, in the order first seen."""
    found: dict[str, None] = {}
    for view in views:
        for series in view.series:
            found.setdefault(series.name, None)
    return list(found)


def _probes(views: Sequence[ResilienceView], charts: Charts) -> str:
    """Per target one chart: each run's probe latency, its failed probes as crosses."""
    names = _target_names(views)
    markers = _faults(views)
    html = ""
    for name in names[:MAX_TARGET_CHARTS]:
        traces: list[Trace] = []
        for view in views:
            series = next((s for s in view.series if s.name == name), None)
            if series is not None:
                traces += _probe_traces(view, series)
        layout: dict[str, Any] = time_layout(f"Probes of {name}", "seconds", markers)
        layout["title"]["text"] = redact_text(layout["title"]["text"])
        layout["xaxis"]["title"]["text"] = X_TITLE
        html += charts.add(traces, layout, 300)
    if len(names) > MAX_TARGET_CHARTS:
        html += f"<p>{len(names) - MAX_TARGET_CHARTS} more targets are in the tables below.</p>"
    return html


def _probe_traces(view: ResilienceView, series: MonitorSeries) -> list[Trace]:
    tint = colour(view.run_index)
    shift = view.load_start
    found: list[Trace] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "marker": {"size": 3},
            "x": [round(t - shift, 3) for t in series.time],
            "y": series.latency,
            "name": view.run_label,
            "line": {"color": tint, "width": 1.5},
        }
    ]
    return found + resilience.failed_probes(series, f"{view.run_label} failed", tint, shift)
