"""Plotly figures as plain JSON-ready dicts, and the page's list of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from squall.reports.html.model import Marker
from squall.reports.redact import redact_text

Figure = dict[str, Any]
Trace = dict[str, Any]

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b")
MARKER_COLOURS = {"hook": "#ff9f1c", "fault": "#c1121f", "downtime": "#6a040f"}
MAX_SHAPES = 200
MAX_LABELS = 12


class Charts:
    """Collects the figures of a page; ``add`` returns the placeholder that shows one."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def add(self, traces: Sequence[Trace], layout: dict[str, Any], height: int = 320) -> str:
        chart_id = f"chart-{len(self.figures)}"
        base = {
            "height": height,
            "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
            "legend": {"orientation": "h", "y": -0.3, "yanchor": "top"},
            "hovermode": "x unified",
            "template": None,
        }
        self.figures.append({"id": chart_id, "data": list(traces), "layout": base | layout})
        return f'<div class="chart" id="{chart_id}"></div>'


def colour(run_index: int, series_index: int = 0) -> str:
    return PALETTE[(run_index + series_index * 3) % len(PALETTE)]


def line(x: Sequence[float], y: Sequence[float | None], name: str, **style: Any) -> Trace:
    base = {"type": "scatter", "mode": "lines", "x": list(x), "y": list(y), "name": name}
    return base | {"connectgaps": True} | style


def time_layout(title: str, y_title: str, markers: Sequence[Marker]) -> dict[str, Any]:
    """A layout with seconds on x and every marker drawn as a band, labels on the first few."""
    shapes, annotations = marker_shapes(markers)
    return {
        "title": {"text": title, "font": {"size": 14}},
        "xaxis": {"title": {"text": "seconds since load start"}, "zeroline": False},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
        "shapes": shapes,
        "annotations": annotations,
    }


def marker_shapes(markers: Sequence[Marker]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for marker in list(markers)[:MAX_SHAPES]:
        shade = "#e63946" if marker.failed else MARKER_COLOURS.get(marker.kind, "#6c757d")
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": marker.start,
                "x1": max(marker.end, marker.start),
                "y0": 0,
                "y1": 1,
                "fillcolor": shade,
                "opacity": 0.25,
                "line": {"color": shade, "width": 1.5},
                "layer": "below",
            }
        )
        if len(annotations) < MAX_LABELS:
            annotations.append(
                {
                    "x": marker.start,
                    "y": 1,
                    "xref": "x",
                    "yref": "paper",
                    "text": redact_text(marker.label)[:40],
                    "showarrow": False,
                    "textangle": -90,
                    "xanchor": "right",
                    "yanchor": "top",
                    "font": {"size": 9, "color": shade},
                }
            )
    return shapes, annotations
