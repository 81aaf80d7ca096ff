"""The runs in the report, one row each."""

from __future__ import annotations

from datetime import UTC, datetime

from squall.reports.html.charts import Charts, colour
from squall.reports.html.model import Report
from squall.reports.html.text import esc, table


def render(report: Report, charts: Charts) -> str | None:
    if not report.runs:
        return None
    rows = []
    for run in report.runs:
        record = run.record
        created = datetime.fromtimestamp(record.created_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        swatch = f'<span class="swatch" style="background:{colour(run.index)}"></span>'
        sla = '<span class="ok">pass</span>' if record.pass_sla else '<span class="bad">FAIL</span>'
        rows.append(
            [
                swatch + esc(run.label),
                f"<code>{esc(record.id)}</code>",
                esc(record.title),
                esc(record.status),
                sla,
                esc(created),
                str(len(record.workloads)),
                esc(", ".join(record.tags) or "-"),
            ]
        )
    head = ["run", "id", "title", "status", "SLA", "created", "workloads", "tags"]
    return table(head, rows)
