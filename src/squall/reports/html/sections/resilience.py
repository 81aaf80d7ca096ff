"""Per run with monitors or faults: score, downtime windows per target, probe timelines,
and each fault's impact (detect, downtime, recovery, failed iterations).

Several such runs are drawn together by ``resilience_runs``, which uses the tables here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from squall.api.resilience import FaultImpact, ResilienceReport
from squall.reports.html.charts import Charts, Trace, colour, time_layout
from squall.reports.html.model import MonitorSeries, Report, ResilienceView
from squall.reports.html.resilience import downtime_markers
from squall.reports.html.text import esc, number, seconds, table
from squall.reports.redact import redact_text
from squall.stats.downtime import Impact

X_TITLE = "seconds since run start"
UP = "#8fd19e"
DOWN = "#c1121f"
MAX_ROWS = 500
MAX_WINDOWS = 1000


def render(report: Report, charts: Charts) -> str | None:
    if not report.resilience:
        return None
    labelled = len(report.runs) > 1
    return "".join(_one(view, charts, labelled) for view in report.resilience)


def _one(view: ResilienceView, charts: Charts, labelled: bool) -> str:
    head = f"<h3>{esc(view.run_label)}</h3>" if labelled else ""
    html = head + _score(view.analysis)
    if view.series:
        html += _states(view, charts) + _probes(view, charts)
        html += "<h4>Downtime per target</h4>" + table(TARGET_HEAD, target_rows(view.analysis))
    if view.analysis.faults:
        rows = fault_rows(view.analysis.faults, view.origin)
        html += "<h4>Faults</h4>" + table(FAULT_HEAD, rows)
    return html


def text(value: str) -> str:
    """A name from a monitor or a fault (URLs may carry passwords), masked and escaped."""
    return esc(redact_text(value))


def _score(analysis: ResilienceReport) -> str:
    facts = [
        ("resilience score", f"{analysis.score:.1f}"),
        ("availability", f"{analysis.availability * 100:.2f} %"),
        ("load success", f"{analysis.success * 100:.2f} %"),
        ("faults recovered", f"{analysis.recovery * 100:.0f} %"),
        ("faults", str(len(analysis.faults))),
        ("monitored targets", str(len(analysis.targets))),
    ]
    items = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts)
    return f'<dl class="facts">{items}</dl>'


def _states(view: ResilienceView, charts: Charts) -> str:
    """One row per target: observed span (green) with its downtime windows (red)."""
    rows = [s.name for s in view.series]
    spans = {s.name: (s.time[0], s.time[-1]) for s in view.series if s.time}
    observed = bars([(name, start, end) for name, (start, end) in spans.items()], "probed", UP)
    windows = []
    for target in view.analysis.targets:
        for w in target.windows:
            end = w.end if w.end is not None else view.origin + view.end
            name = redact_text(f"{target.monitor}:{target.target}")
            windows.append((name, w.start - view.origin, end - view.origin))
    note = ""
    if len(windows) > MAX_WINDOWS:  # a flapping target: its longest windows, counted below
        windows = sorted(windows, key=lambda w: w[1] - w[2])[:MAX_WINDOWS]
        note = f"<p>The {MAX_WINDOWS} longest downtime windows are drawn.</p>"
    traces = [observed, bars(windows, "down", DOWN)] if windows else [observed]
    layout = time_layout("Downtime windows", "", view.faults)
    layout["xaxis"]["title"]["text"] = X_TITLE
    layout["barmode"] = "overlay"
    layout["hovermode"] = "closest"
    layout["yaxis"] = {"type": "category", "automargin": True, "categoryarray": rows}
    return charts.add(traces, layout, 120 + 28 * len(rows)) + note


def bars(spans: list[tuple[str, float, float]], name: str, fill: str) -> Trace:
    """Horizontal bars, one per (row, start, end) span."""
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "y": [s[0] for s in spans],
        "base": [round(s[1], 3) for s in spans],
        "x": [round(max(s[2] - s[1], 0.05), 3) for s in spans],
        "marker": {"color": fill},
        "hovertemplate": "%{y}: %{base:.1f} s + %{x:.1f} s<extra>" + name + "</extra>",
    }


def _probes(view: ResilienceView, charts: Charts) -> str:
    """Probe latency per target; failed probes as red crosses on the axis."""
    traces: list[Trace] = []
    for number_, series in enumerate(view.series):
        tint = colour(view.run_index, number_)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "marker": {"size": 3},
                "x": series.time,
                "y": series.latency,
                "name": series.name,
                "line": {"color": tint, "width": 1.5},
            }
        )
        traces += failed_probes(series, f"{series.name} failed", DOWN)
    markers = view.faults + downtime_markers(view)
    layout: dict[str, Any] = time_layout("Monitor probes", "seconds", markers)
    layout["xaxis"]["title"]["text"] = X_TITLE
    return charts.add(traces, layout, 340)


def failed_probes(series: MonitorSeries, name: str, tint: str, shift: float = 0.0) -> list[Trace]:
    """The failed probes of ``series`` as crosses on the axis (none: no trace)."""
    failed = [(t, n) for t, n in zip(series.time, series.failed, strict=True) if n]
    if not failed:
        return []
    trace = {
        "type": "scatter",
        "mode": "markers",
        "x": [round(t - shift, 3) for t, _ in failed],
        "y": [0] * len(failed),
        "text": [f"{n} failed" for _, n in failed],
        "name": name,
        "marker": {"symbol": "x", "color": tint, "size": 8},
    }
    return [trace]


TARGET_HEAD = ["monitor", "target", "probes", "", "windows", "downtime", "longest", "baseline",
               "window lengths"]  # fmt: skip
FAULT_HEAD = ["fault", "on", "injected", "restored", "recovered", "failed iterations", "target",
              "detect", "downtime", "after restore", "MTTR", "latency ×"]  # fmt: skip


def target_rows(analysis: ResilienceReport) -> list[list[str]]:
    """Per monitored target: probes, state, windows, downtime (cells escaped)."""
    rows = []
    for t in analysis.targets[:MAX_ROWS]:
        windows = ", ".join(
            f"{w.duration(None):.1f} s" if w.end is not None else "open" for w in t.windows[:10]
        )
        state = '<span class="bad">down</span>' if t.windows else '<span class="ok">up</span>'
        rows.append(
            [
                text(t.monitor),
                text(t.target),
                f"{t.samples:,}",
                state,
                str(len(t.windows)),
                seconds(t.downtime),
                seconds(t.longest),
                seconds(t.baseline),
                esc(windows or "-"),
            ]
        )
    return rows


def fault_rows(faults: list[FaultImpact], origin: float) -> list[list[str]]:
    """Per fault and target its impact; times in seconds since ``origin`` (wall clock)."""
    rows = []
    for fault in faults:
        span = fault.fault
        restored = "never" if span.restored is None else f"{span.restored - origin:.1f} s"
        state = '<span class="ok">yes</span>' if fault.recovered else '<span class="bad">no</span>'
        failed, total = fault.iterations
        impacts: Sequence[tuple[str, Impact | None]] = list(fault.per_target.items())[:MAX_ROWS]
        for name, imp in impacts or [("-", None)]:
            rows.append(
                [
                    text(span.label),
                    text(fault.target),
                    f"{span.injected - origin:.1f} s",
                    restored,
                    state,
                    f"{failed:,} / {total:,}",
                    text(name),
                    seconds(imp.detect) if imp else "-",
                    seconds(imp.downtime) if imp else "-",
                    seconds(imp.recover_after_restore) if imp else "-",
                    seconds(imp.mttr) if imp else "-",
                    number(imp.degradation) if imp and imp.degradation is not None else "-",
                ]
            )
    return rows
