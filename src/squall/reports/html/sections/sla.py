"""The SLA criteria of each run: pass or fail, and why."""

from __future__ import annotations

from squall.reports.html.charts import Charts
from squall.reports.html.model import WorkloadGroup
from squall.reports.html.text import esc, table


def render(group: WorkloadGroup, charts: Charts) -> str | None:
    rows = []
    for view in group.views:
        summary = view.record.summary
        for result in summary.sla_results if summary else []:
            verdict = (
                '<span class="ok">pass</span>'
                if result.success
                else '<span class="bad">FAIL</span>'
            )
            rows.append([esc(view.run_label), esc(result.criterion), verdict, esc(result.detail)])
    if not rows:
        return "<p>No SLA criteria.</p>"
    return table(["run", "criterion", "result", "detail"], rows)
