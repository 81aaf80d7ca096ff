"""Every hook firing: when, what, and how it ended (also drawn on every time chart)."""

from __future__ import annotations

from squall.reports.html.charts import Charts
from squall.reports.html.model import WorkloadGroup
from squall.reports.html.text import details, esc, pretty_json, seconds, table

MAX_ROWS = 500


def render(group: WorkloadGroup, charts: Charts) -> str | None:
    rows = []
    for view in group.views:
        summary = view.record.summary
        if summary is None:
            continue
        for hook in summary.hook_results[:MAX_ROWS]:
            at = hook.started_at - view.wall_start
            status = (
                '<span class="ok">success</span>'
                if hook.status == "success"
                else '<span class="bad">failed</span>'
            )
            extra = (
                pretty_json(hook.error or hook.output or {}) if (hook.error or hook.output) else ""
            )
            rows.append(
                [
                    esc(view.run_label),
                    esc(f"{hook.action} #{hook.hook_index}"),
                    esc(hook.description),
                    esc(
                        f"{hook.trigger} {hook.triggered_by.event_type}={hook.triggered_by.value:g}"
                    ),
                    f"{at:.3f} s",
                    seconds(hook.finished_at - hook.started_at),
                    status,
                    details("details", extra) if extra else "",
                ]
            )
    if not rows:
        return None
    head = ["run", "hook", "description", "trigger", "at", "took", "status", ""]
    return table(head, rows)
