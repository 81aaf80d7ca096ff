"""The duration histogram and its percentile curve, from the full stored HdrHistogram.

Bars are the histogram's buckets gathered into ``DISPLAY_BINS`` log-spaced bins (a
readable shape at any size); the percentile curve walks every bucket. The
histograms themselves, lossless, are embedded in the page (``page.histogram_data``).
"""

from __future__ import annotations

import math

from squall.reports.html.charts import Charts, Trace, colour
from squall.reports.html.model import WorkloadGroup, WorkloadView
from squall.stats.summary import TOTAL, TOTAL_DURATION

CURVE_POINTS = 200
DISPLAY_BINS = 60


def render(group: WorkloadGroup, charts: Charts) -> str | None:
    bars: list[Trace] = []
    curves: list[Trace] = []
    for view in group.views:
        buckets = _buckets(view)
        if not buckets:
            continue
        style = {"color": colour(view.run_index)}
        centres, counts, _ = _log_bins(buckets)
        bars.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": centres,
                "y": counts,
                "line": {"shape": "hvh", "color": style["color"]},
                "fill": "tozeroy",
                "opacity": 0.6,
                "name": f"{view.run_label} iterations",
            }
        )
        x, y = _percentile_curve(buckets)
        curves.append({"type": "scatter", "mode": "lines", "x": x, "y": y,
                       "name": view.run_label, "line": style})  # fmt: skip
    if not bars:
        return None
    hist_layout = {
        "title": {"text": "Duration histogram", "font": {"size": 14}},
        "xaxis": {"title": {"text": "seconds (log scale)"}, "type": "log"},
        "yaxis": {"title": {"text": "iterations"}},
        "hovermode": "closest",
    }
    ticks = [0, 90, 99, 99.9, 99.99]
    curve_layout = {
        "title": {"text": "Percentile distribution", "font": {"size": 14}},
        "xaxis": {
            "title": {"text": "percentile"},
            "type": "log",
            "tickvals": [1 / (1 - t / 100) for t in ticks],
            "ticktext": [f"{t}%" for t in ticks],
        },
        "yaxis": {"title": {"text": "seconds"}},
        "hovermode": "closest",
    }
    return charts.add(bars, hist_layout) + charts.add(curves, curve_layout)


def _buckets(view: WorkloadView) -> list[tuple[float, int]]:
    return view.histograms.get(TOTAL_DURATION) or view.histograms.get(TOTAL) or []


def _log_bins(buckets: list[tuple[float, int]]) -> tuple[list[float], list[int], list[float]]:
    """Buckets gathered into log-spaced bins: (centres, counts, widths)."""
    positive = [(v, c) for v, c in buckets if v > 0]
    zeros = sum(c for v, c in buckets if v <= 0)
    if not positive:
        return [0.0], [zeros], [1e-6]
    low, high = math.log10(positive[0][0]), math.log10(positive[-1][0])
    if high - low < 1e-9:
        return [positive[0][0]], [zeros + sum(c for _, c in positive)], [positive[0][0] * 0.1]
    step = (high - low) / DISPLAY_BINS
    counts = [0] * DISPLAY_BINS
    counts[0] += zeros
    for value, count in positive:
        counts[min(int((math.log10(value) - low) / step), DISPLAY_BINS - 1)] += count
    edges = [10 ** (low + i * step) for i in range(DISPLAY_BINS + 1)]
    centres = [(edges[i] + edges[i + 1]) / 2 for i in range(DISPLAY_BINS)]
    widths = [(edges[i + 1] - edges[i]) * 0.95 for i in range(DISPLAY_BINS)]
    return centres, counts, widths


def _percentile_curve(buckets: list[tuple[float, int]]) -> tuple[list[float], list[float]]:
    """Value at percentile p for p spread on a log(1/(1-p)) scale, as HdrHistogram plots do."""
    total = sum(c for _, c in buckets)
    xs: list[float] = []
    ys: list[float] = []
    cumulative = 0
    index = 0
    for step in range(CURVE_POINTS + 1):
        fraction = 1 - 10 ** (-5 * step / CURVE_POINTS)  # 0 .. 99.999 %
        target = max(1, math.ceil(fraction * total))
        while index < len(buckets) - 1 and cumulative + buckets[index][1] < target:
            cumulative += buckets[index][1]
            index += 1
        xs.append(1 / (1 - fraction))
        ys.append(buckets[index][0])
    return xs, ys
