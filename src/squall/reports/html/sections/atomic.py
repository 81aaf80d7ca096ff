"""Atomic actions: where an iteration's time goes, and each action's median over time."""

from __future__ import annotations

from squall.reports.html.charts import Charts, Trace, colour, line, time_layout
from squall.reports.html.model import WorkloadGroup
from squall.stats.summary import NEST, TOTAL

DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def render(group: WorkloadGroup, charts: Charts) -> str | None:
    bars: list[Trace] = []
    over_time: list[Trace] = []
    markers = [m for v in group.views for m in v.markers]
    for view in group.views:
        summary = view.record.summary
        rows = [
            r
            for r in (summary.stats if summary else [])
            if not r.name.startswith(TOTAL) and r.count
        ]
        if rows:
            bars.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "y": [r.name for r in rows],
                    "x": [r.median for r in rows],
                    "error_x": {
                        "type": "data",
                        "symmetric": False,
                        "array": [(r.p95 or 0) - (r.median or 0) for r in rows],
                        "arrayminus": [0] * len(rows),
                    },
                    "name": f"{view.run_label} median (bar) to p95 (whisker)",
                    "marker": {"color": colour(view.run_index)},
                }
            )
        for i, (name, values) in enumerate(view.timeline.actions.items()):
            if NEST in name:
                continue
            style = {"color": colour(view.run_index, i), "dash": DASHES[i % len(DASHES)]}
            over_time.append(
                line(view.timeline.time, values, f"{view.run_label} {name}", line=style)
            )
    if not bars:
        return None
    height = 120 + 28 * max(len(b["y"]) for b in bars) * len(bars)
    bar_layout = {
        "title": {"text": "Median duration per action (whisker: p95)", "font": {"size": 14}},
        "xaxis": {"title": {"text": "seconds"}},
        "yaxis": {"automargin": True, "autorange": "reversed"},
        "barmode": "group",
        "hovermode": "closest",
    }
    html = charts.add(bars, bar_layout, min(height, 700))
    if over_time:
        layout = time_layout("Median action duration over time", "seconds", markers)
        html += charts.add(over_time, layout)
    return html
