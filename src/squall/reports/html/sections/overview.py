"""Per workload: the figures that matter at a glance, and the duration table."""

from __future__ import annotations

from squall.reports.html.charts import Charts
from squall.reports.html.model import WorkloadGroup, WorkloadView
from squall.reports.html.text import details, esc, number, pretty_json, seconds, table


def render(group: WorkloadGroup, charts: Charts) -> str | None:
    return "".join(_one(view, len(group.views) > 1) for view in group.views)


def _one(view: WorkloadView, labelled: bool) -> str:
    summary = view.record.summary
    head = f"<h4>{esc(view.run_label)}</h4>" if labelled else ""
    config = details("workload as configured", pretty_json(view.record.config))
    if summary is None:
        return head + "<p>This workload did not finish: no summary was stored.</p>" + config
    rate = number(summary.achieved_rate) if summary.achieved_rate is not None else "n/a"
    target = f" of {number(summary.target_rate)} targeted" if summary.target_rate else ""
    facts = [
        ("status", esc(summary.status)),
        ("iterations", f"{summary.total_iteration_count:,}"),
        ("failed", f"{summary.failed_iteration_count:,}"),
        ("load duration", seconds(summary.load_duration)),
        ("full duration", seconds(summary.full_duration)),
        ("achieved rate", f"{rate}/s{target}"),
        ("max start lag", seconds(summary.max_start_lag)),
    ]
    facts += [(f"quantised by {esc(k)}", seconds(v)) for k, v in summary.quantisation.items()]
    dl = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts)
    rows = [
        [
            esc(row.name),
            seconds(row.min),
            seconds(row.median),
            seconds(row.p90),
            seconds(row.p95),
            seconds(row.p99),
            seconds(row.max),
            seconds(row.avg),
            f"{row.success:.1f}%",
            f"{row.count:,}",
        ]
        for row in summary.stats
    ]
    head_row = ["action", "min", "median", "90%ile", "95%ile", "99%ile", "max", "avg", "success"]
    stats = table([*head_row, "count"], rows)
    return head + f'<dl class="facts">{dl}</dl>' + stats + config
