"""The trends page: each workload's (or data-plane test's) percentiles, throughput and failures
over a series of runs."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from squall.reports.html.charts import Charts, Trace, colour
from squall.reports.html.page import asset, plotly_packed, script_json
from squall.reports.html.text import esc
from squall.stats.trends import Trend

VERDICT_COLOURS = {"worse": "#c1121f", "better": "#1b7f3b", "no evidence": "#adb5bd"}


def write_trends_page(tag: str, trends: Sequence[Trend], out: TextIO) -> None:
    charts = Charts()
    blocks = "".join(_block(i, trend, charts) for i, trend in enumerate(trends))
    generated = datetime.fromtimestamp(time.time(), UTC).strftime("%Y-%m-%d %H:%M UTC")
    title = f"squall trends: {tag}"
    out.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    out.write(f'<link rel="icon" href="data:,"><title>{esc(title)}</title>')
    out.write(f"<style>{asset('report.css')}</style></head><body>")
    out.write(f"<header><h1>{esc(title)}</h1><p>generated {generated} · "
              f'<span id="status">drawing charts…</span></p></header>')  # fmt: skip
    out.write(f'<div class="layout"><main>{blocks or "<p>No finished workloads.</p>"}</main></div>')
    out.write(
        f'<script type="application/json" id="figures">{script_json(charts.figures)}</script>'
    )
    out.write(f'<script type="text/plain" id="plotly-gz">{plotly_packed()}</script>')
    out.write(f"<script>{asset('report.js')}</script></body></html>\n")


def _block(index: int, trend: Trend, charts: Charts) -> str:
    runs = [p.run_id[:8] for p in trend.points]
    dates = [
        datetime.fromtimestamp(p.created_at, UTC).strftime("%Y-%m-%d %H:%M") for p in trend.points
    ]
    labels = [f"{run}<br>{date}" for run, date in zip(runs, dates, strict=True)]
    verdicts = [str(p.versus_previous) if p.versus_previous else "first" for p in trend.points]
    latency: list[Trace] = []
    for i, name in enumerate(("p50", "p95", "p99")):
        values = [getattr(p, name) for p in trend.points]
        latency.append(_line(labels, values, name, colour(0, i), verdicts))
    failed = [p.failure_rate for p in trend.points]
    rates = [
        _line(labels, [p.throughput for p in trend.points], trend.unit, colour(2), verdicts),
        _line(labels, failed, f"{trend.failures} %", colour(1), verdicts) | {"yaxis": "y2"},
    ]
    axis = {"type": "category", "title": {"text": "run (oldest first)"}}
    return (
        f'<section class="block" id="trend-{index}"><h2>{esc(trend.label)}</h2>'
        + charts.add(latency, {"title": {"text": "Percentiles", "font": {"size": 14}},
                               "xaxis": axis, "yaxis": {"title": {"text": "seconds"}}})
        + charts.add(rates, {"title": {"text": "Throughput and failures", "font": {"size": 14}},
                             "xaxis": axis, "yaxis": {"title": {"text": trend.unit}},
                             "yaxis2": {"title": {"text": "failed %"}, "overlaying": "y",
                                        "side": "right", "rangemode": "tozero"}})
        + "</section>"
    )  # fmt: skip


def _line(x: list[str], y: list[Any], name: str, line_colour: str, verdicts: list[str]) -> Trace:
    """A line whose markers are coloured by each run's verdict against the one before."""
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "x": x,
        "y": y,
        "name": name,
        "line": {"color": line_colour},
        "marker": {"size": 9, "color": [VERDICT_COLOURS.get(v, line_colour) for v in verdicts]},
        "text": verdicts,
        "hovertemplate": "%{y:.4g} (%{text})",
    }
