"""Data-plane runs: a table of the runs, and per test repetition its figures, throughput
and latency over time, the source x destination heat map and the outlier hosts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from squall.reports.html.charts import Charts, Trace, colour, line, time_layout
from squall.reports.html.dataplane import unit
from squall.reports.html.model import DataplaneGroup, Report
from squall.reports.html.text import details, esc, number, seconds, table
from squall.reports.redact import redact_text

X_TITLE = "seconds since the test started"
DASHES = {"p50": "solid", "p99": "dash", "max": "dot"}
MAX_HOST_ROWS = 20


def runs(report: Report, charts: Charts) -> str | None:
    """One row per data-plane run."""
    if not report.dataplane_runs:
        return None
    rows = []
    for view in report.dataplane_runs:
        run = view.run
        started = datetime.fromtimestamp(run["started_at"], UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        took = (run["finished_at"] - run["started_at"]) if run.get("finished_at") else None
        status = esc(run["status"])
        if run["status"] != "finished":
            status = f'<span class="bad">{status}</span>'
        swatch = f'<span class="swatch" style="background:{colour(view.index)}"></span>'
        rows.append(
            [
                swatch + esc(view.label),
                f"<code>{esc(run['run'])}</code>",
                esc(run.get("title", "")),
                esc(f"{run.get('provider')}, {run.get('network_mode')}"),
                status + (f"<br>{esc(redact_text(run['error']))}" if run.get("error") else ""),
                esc(started),
                seconds(took),
                str(len(run.get("agents") or [])),
            ]
        )
    head = ["run", "id", "title", "where", "status", "started", "took", "agents"]
    return table(head, rows)


def summary(group: DataplaneGroup, charts: Charts) -> str | None:
    rows = []
    for v in group.views:
        state = (
            f'<span class="bad">partial: {esc(", ".join(v.failed_agents[:5]))}</span>'
            if v.partial
            else '<span class="ok">complete</span>'
        )
        latency = "; ".join(
            f"{esc(name)} p50 {seconds(p.get('50'))}, p99 {seconds(p.get('99'))}"
            for name, p in v.percentiles.items()
            if p
        )
        headline = ", ".join(
            f"{esc(k)} {number(val, 4)}" for k, val in list(v.counters.items())[:6]
        )
        rows.append([esc(v.run_label), str(v.pairs), state, headline or "-", latency or "-"])
    html = table(["run", "pairs", "result", "totals", "latency"], rows)
    failed = [
        [esc(v.run_label), esc(f"{client} → {server}"), f'<span class="bad">{esc(state)}</span>',
         f"<pre>{esc(error)}</pre>" if error else "-"]
        for v in group.views
        for client, server, state, error in v.failed_pairs
    ]  # fmt: skip
    if failed:
        html += details(
            f"{len(failed)} of the pairs did not end ok",
            table(["run", "pair", "status", "why"], failed),
        )
    return html


def throughput(group: DataplaneGroup, charts: Charts) -> str | None:
    views = [v for v in group.views if v.time and any(x is not None for x in v.throughput)]
    if not views:
        return None
    traces = [
        line(v.time, v.throughput, f"{v.run_label} {unit(v.metric)}",
             line={"color": colour(v.run_index)}, fill="tozeroy" if len(views) == 1 else None)
        for v in views
    ]  # fmt: skip
    titles = sorted({unit(v.metric) for v in views})
    return charts.add(traces, _layout("Throughput per report interval", ", ".join(titles)))


def latency(group: DataplaneGroup, charts: Charts) -> str | None:
    views = [v for v in group.views if v.time and v.latency]
    if not views:
        return None
    traces: list[Trace] = []
    for v in views:
        for number_, (name, values) in enumerate(v.latency.items()):
            dash = DASHES.get(name.rsplit(" ", 1)[-1][:3], "solid")
            style = {"color": colour(v.run_index, number_ // 3), "dash": dash}
            traces.append(line(v.time, values, f"{v.run_label} {name}", line=style))
    return charts.add(traces, _layout("Latency per report interval", "seconds"), 340)


def heatmap(group: DataplaneGroup, charts: Charts) -> str | None:
    parts = []
    for v in group.views:
        matrix = v.matrix
        if matrix is None:
            continue
        flagged = {h.host for h in v.hosts if h.flagged}
        sources = [_mark(h, flagged) for h in matrix["sources"]]
        destinations = [_mark(h, flagged) for h in matrix["destinations"]]
        trace = {
            "type": "heatmap",
            "z": matrix["values"],
            "x": destinations,
            "y": sources,
            "colorscale": "Viridis",
            "zmin": 0,  # a host at half the others' figure looks half as bright
            "zmax": max((x for row in matrix["values"] for x in row if x is not None), default=1),
            "hoverongaps": False,
            "colorbar": {"title": {"text": esc(matrix["metric"])}},
            "hovertemplate": "%{y} → %{x}: %{z:.4s}<extra></extra>",
        }
        layout: dict[str, Any] = {
            "title": {"text": f"{esc(v.run_label)}: {esc(matrix['metric'])}, source × destination"},
            "xaxis": {"title": {"text": "destination (server host)"}, "type": "category"},
            "yaxis": {"title": {"text": "source (client host)"}, "type": "category",
                      "automargin": True},
            "hovermode": "closest",
        }  # fmt: skip
        height = min(900, 160 + 22 * len(sources))
        total_sources, total_destinations = matrix["total"]
        note = ""
        if (total_sources, total_destinations) != (len(sources), len(destinations)):
            note = (
                f"<p>First {len(sources)} of {total_sources} sources and {len(destinations)} "
                f"of {total_destinations} destinations.</p>"
            )
        parts.append(charts.add([trace], layout, height) + note)
    return "".join(parts) or None


def hosts(group: DataplaneGroup, charts: Charts) -> str | None:
    rows = []
    for v in group.views:
        shown = [h for h in v.hosts if h.flagged] or v.hosts[:3]
        for h in shown[:MAX_HOST_ROWS]:
            mark = '<span class="bad">flagged</span>' if h.flagged else "-"
            rows.append(
                [
                    esc(v.run_label),
                    esc(h.role),
                    esc(h.host),
                    str(h.pairs),
                    str(h.failed),
                    number(h.per_pair, 4),
                    "n/a" if h.ratio is None else f"{h.ratio * 100:.0f} %",
                    mark,
                ]
            )
    if not rows:
        return None
    note = (
        "<p>A host is flagged when one of its pairs failed or its figure per pair is below "
        "half the median host's. Flagged hosts are listed, or else the lowest three.</p>"
    )
    head = ["run", "role", "host", "pairs", "failed", "per pair", "of median", ""]
    return note + table(head, rows)


def _mark(host: str, flagged: set[str]) -> str:
    return f"{host} ⚠" if host in flagged else host


def _layout(title: str, y_title: str) -> dict[str, Any]:
    layout = time_layout(title, y_title, [])
    layout["xaxis"]["title"]["text"] = X_TITLE
    return layout
