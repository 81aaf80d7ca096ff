"""The HTML page: sections laid out, figures as JSON, plotly inlined for offline use."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any, TextIO, TypeVar

import plotly.offline

import squall
from squall.reports.html.charts import Charts
from squall.reports.html.model import DataplaneGroup, Report, WorkloadGroup
from squall.reports.html.sections import DATAPLANE_SECTIONS, REPORT_SECTIONS, WORKLOAD_SECTIONS
from squall.reports.html.text import esc

G = TypeVar("G", WorkloadGroup, DataplaneGroup)


@cache
def plotly_packed() -> str:
    """The installed plotly.min.js, gzip-compressed and base64-encoded (about 2 MB)."""
    source = plotly.offline.get_plotlyjs().encode("utf-8")
    return base64.b64encode(gzip.compress(source, compresslevel=9, mtime=0)).decode("ascii")


def asset(name: str) -> str:
    return resources.files("squall.reports.html").joinpath("assets", name).read_text("utf-8")


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element (no '<' can close it)."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_page(report: Report, out: TextIO) -> None:
    charts = Charts()
    body = _body(report, charts)
    out.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    out.write('<meta name="viewport" content="width=device-width, initial-scale=1">')
    out.write('<link rel="icon" href="data:,">')
    out.write(f"<title>{esc(_title(report))}</title>")
    out.write(f"<style>{asset('report.css')}</style></head><body>")
    out.write(body)
    out.write(
        f'<script type="application/json" id="figures">{script_json(charts.figures)}</script>'
    )
    out.write(f'<script type="text/plain" id="plotly-gz">{plotly_packed()}</script>')
    out.write(f"<script>{asset('report.js')}</script>")
    out.write("</body></html>\n")


def histogram_data(report: Report) -> list[dict[str, Any]]:
    """Every stored HdrHistogram (V2, base64), lossless, for tools that read the page."""
    found = []
    for run in report.runs:
        for workload in run.record.workloads:
            if workload.summary is not None and workload.summary.histograms:
                found.append(
                    {
                        "run": run.record.id,
                        "workload": f"{workload.subtask_index}.{workload.workload_index}",
                        "unit": "microseconds",
                        "histograms": workload.summary.histograms,
                    }
                )
    return found


def _title(report: Report) -> str:
    titles = [r.record.title for r in report.runs]
    titles += [str(r.run.get("title", "")) for r in report.dataplane_runs]
    if len(titles) == 1:
        return f"squall report: {titles[0]}"
    return f"squall report: {len(titles)} runs compared"


def _body(report: Report, charts: Charts) -> str:
    generated = datetime.fromtimestamp(report.generated_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"<header><h1>{esc(_title(report))}</h1><p>squall {esc(squall.__version__)}, "
        f'generated {generated} · <span id="status">drawing charts…</span></p></header>'
    )
    blocks = []
    nav = []
    for title, render in REPORT_SECTIONS:
        html = render(report, charts)
        if html:
            anchor = "report-" + title.lower().replace(" ", "-")
            blocks.append(_block(anchor, esc(title), html))
            nav.append(f'<a href="#{anchor}">{esc(title)}</a>')
    for group in report.groups:
        anchor = "workload-" + _slug(group.key)
        blocks.append(_block(anchor, esc(group.title), _sections(group, WORKLOAD_SECTIONS, charts)))
        failed = any(v.record.summary and not v.record.summary.pass_sla for v in group.views)
        mark = '<span class="bad">✗</span>' if failed else ""
        nav.append(f'<a href="#{anchor}">{esc(group.title)}{mark}</a>')
    for dp_group in report.dataplane:
        anchor = "dataplane-" + _slug(dp_group.key)
        blocks.append(
            _block(anchor, esc(dp_group.title), _sections(dp_group, DATAPLANE_SECTIONS, charts))
        )
        mark = '<span class="bad">✗</span>' if any(v.partial for v in dp_group.views) else ""
        nav.append(f'<a href="#{anchor}">{esc(dp_group.title)}{mark}</a>')
    if report.runs and not report.groups:
        blocks.append(_block("empty", "Workloads", "<p>These runs have no workloads.</p>"))
    if report.dataplane_runs and not report.dataplane:
        blocks.append(_block("empty-dp", "Data-plane tests", "<p>These runs have no tests.</p>"))
    return (
        header
        + '<div class="layout"><nav>'
        + "".join(nav)
        + "</nav><main>"
        + "".join(blocks)
        + "</main></div>"
    )


def _sections(group: G, sections: Sequence[tuple[str, Callable[[G, Charts], str | None]]],
              charts: Charts) -> str:  # fmt: skip
    parts = []
    for title, render in sections:
        html = render(group, charts)
        if html:
            parts.append(f"<h3>{esc(title)}</h3>{html}")
    return "".join(parts)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text)


def _block(anchor: str, title: str, html: str) -> str:
    return f'<section class="block" id="{anchor}"><h2>{title}</h2>{html}</section>'
