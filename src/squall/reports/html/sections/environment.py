"""Where and with what each run was made (secrets masked)."""

from __future__ import annotations

from squall.reports.html.charts import Charts
from squall.reports.html.model import Report
from squall.reports.html.text import details, esc, pretty_json, table


def render(report: Report, charts: Charts) -> str | None:
    if not report.runs:
        return None
    parts = []
    for run in report.runs:
        env = run.record.environment
        rows = [
            ["squall", esc(env.squall_version)],
            ["Python", esc(env.python)],
            ["host", esc(env.host)],
            ["platform", esc(env.platform)],
            ["task format", esc(run.record.source_format)],
        ]
        body = table(["", esc(run.label)], rows, cls="grid narrow")
        if env.cloud:
            body += details("cloud", pretty_json(env.cloud))
        if env.extra:
            body += details("more", pretty_json(env.extra))
        body += details("task as run", pretty_json(run.record.task))
        parts.append(f'<div class="env">{body}</div>')
    return '<div class="envs">' + "".join(parts) + "</div>"
