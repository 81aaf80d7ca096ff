"""Scenario output: additive charts over iterations, complete charts as the scenario drew them."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from squall.reports.html.charts import Charts, Trace, colour
from squall.reports.html.model import WorkloadGroup, WorkloadView
from squall.reports.html.output import AdditiveChart, CompleteChart
from squall.reports.html.text import esc, number, table

BINS = 240


def render(group: WorkloadGroup, charts: Charts) -> str | None:
    parts = []
    for view in group.views:
        digest = view.output
        if digest is None:
            continue
        label = f"<h4>{esc(view.run_label)}</h4>" if len(group.views) > 1 else ""
        body = "".join(_additive(view, chart, charts) for chart in digest.additive.values())
        body += "".join(_complete(view, chart, charts) for chart in digest.complete)
        if body:
            parts.append(label + body)
    return "".join(parts) or None


def _additive(view: WorkloadView, chart: AdditiveChart, charts: Charts) -> str:
    title = f"{chart.title} (all iterations)"
    if chart.plugin == "StatsTable":
        rows = [[esc(name), *_stats(np.frombuffer(s.values))] for name, s in chart.series.items()]
        head = ["series", "min", "median", "90%ile", "95%ile", "max", "avg", "count"]
        return f"<h4>{esc(title)}</h4>" + table(head, rows)
    if chart.plugin == "Pie":
        names = list(chart.series)
        means = [float(np.frombuffer(chart.series[n].values).mean()) for n in names]
        pie = {"type": "pie", "labels": names, "values": means, "hole": 0.3}
        return charts.add([pie], {"title": {"text": title, "font": {"size": 14}}})
    traces: list[Trace] = []
    stacked = chart.plugin == "StackedArea"
    for i, (name, series) in enumerate(chart.series.items()):
        x, y = _binned(np.frombuffer(series.numbers, dtype=np.int64), np.frombuffer(series.values))
        trace: Trace = {"type": "scatter", "mode": "lines", "x": x, "y": y, "name": name,
                        "line": {"color": colour(view.run_index, i)}}  # fmt: skip
        if stacked:
            trace |= {"stackgroup": "one"}
        traces.append(trace)
    layout = {
        "title": {"text": title, "font": {"size": 14}},
        "xaxis": {"title": {"text": chart.axis_label or "iteration"}},
        "yaxis": {"title": {"text": chart.label}},
    }
    return charts.add(traces, layout)


def _complete(view: WorkloadView, item: CompleteChart, charts: Charts) -> str:
    chart = item.chart
    title = f"{chart.title} (iteration {item.iteration})"
    data: Any = chart.data
    if chart.chart_plugin == "Table" and isinstance(data, dict):
        rows = [[esc(cell) for cell in row] for row in data.get("rows", [])]
        return f"<h4>{esc(title)}</h4>" + table([esc(c) for c in data.get("cols", [])], rows)
    if chart.chart_plugin == "TextArea":
        text = "\n".join(str(line) for line in (data if isinstance(data, list) else [data]))
        return f"<h4>{esc(title)}</h4><pre>{esc(text)}</pre>"
    if chart.chart_plugin == "Pie":
        pairs = [row for row in data if isinstance(row, list | tuple) and len(row) == 2]
        pie = {"type": "pie", "labels": [str(p[0]) for p in pairs],
               "values": [_float(p[1]) for p in pairs], "hole": 0.3}  # fmt: skip
        return charts.add([pie], {"title": {"text": title, "font": {"size": 14}}})
    traces: list[Trace] = []
    for i, row in enumerate(data if isinstance(data, list) else []):
        if not (isinstance(row, list | tuple) and len(row) == 2 and isinstance(row[1], list)):
            continue
        points = [p for p in row[1] if isinstance(p, list | tuple) and len(p) == 2]
        trace: Trace = {"type": "scatter", "mode": "lines", "name": str(row[0]),
                        "x": [p[0] for p in points], "y": [_float(p[1]) for p in points],
                        "line": {"color": colour(view.run_index, i)}}  # fmt: skip
        if chart.chart_plugin == "StackedArea":
            trace |= {"stackgroup": "one"}
        traces.append(trace)
    if not traces:
        return ""
    layout = {
        "title": {"text": title, "font": {"size": 14}},
        "xaxis": {"title": {"text": chart.axis_label}},
        "yaxis": {"title": {"text": chart.label}},
    }
    return charts.add(traces, layout)


def _binned(
    numbers: np.ndarray[Any, Any], values: np.ndarray[Any, Any]
) -> tuple[list[float], list[float | None]]:
    """Values averaged over at most ``BINS`` bins of iteration numbers."""
    if numbers.size <= BINS:
        order = np.argsort(numbers)
        return numbers[order].astype(float).tolist(), values[order].tolist()
    low, high = int(numbers.min()), int(numbers.max())
    edges = np.linspace(low, high + 1, BINS + 1)
    index = np.clip(np.searchsorted(edges, numbers, side="right") - 1, 0, BINS - 1)
    counts = np.bincount(index, minlength=BINS)
    sums = np.bincount(index, weights=values, minlength=BINS)
    centres = ((edges[:-1] + edges[1:]) / 2).tolist()
    means = [float(s / c) if c else None for s, c in zip(sums, counts, strict=True)]
    return centres, means


def _stats(values: np.ndarray[Any, Any]) -> list[str]:
    if values.size == 0:
        return ["n/a"] * 6 + ["0"]
    q = np.quantile(values, [0.5, 0.9, 0.95])
    figures = [values.min(), q[0], q[1], q[2], values.max(), values.mean()]
    return [number(float(v), 4) for v in figures] + [str(values.size)]


def _float(value: Any) -> float | None:
    try:
        number_ = float(value)
    except (TypeError, ValueError):
        return None
    return number_ if math.isfinite(number_) else None
