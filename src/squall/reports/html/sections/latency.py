"""Durations over time: p50, p95, p99 and max of the iterations started in each bin."""

from __future__ import annotations

from squall.reports.html.charts import Charts, colour, line, time_layout
from squall.reports.html.model import WorkloadGroup

DASHES = {"p50": "solid", "p95": "dash", "p99": "dot", "max": "longdashdot"}


def render(group: WorkloadGroup, charts: Charts) -> str | None:
    views = [v for v in group.views if v.timeline.time]
    if not views:
        return None
    markers = [m for v in views for m in v.markers]
    traces = []
    failures = []
    for v in views:
        for name, values in v.timeline.durations.items():
            style = {"color": colour(v.run_index), "dash": DASHES.get(name, "solid")}
            traces.append(line(v.timeline.time, values, f"{v.run_label} {name}", line=style))
        if any(v.timeline.failures):
            failures.append(
                {
                    "type": "bar",
                    "x": v.timeline.time,
                    "y": v.timeline.failures,
                    "name": f"{v.run_label} failures",
                    "marker": {"color": colour(v.run_index)},
                }
            )
    html = charts.add(traces, time_layout("Iteration duration", "seconds", markers), 360)
    if failures:
        html += charts.add(failures, time_layout("Failed iterations", "failures", markers), 220)
    return html
