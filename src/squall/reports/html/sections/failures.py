"""Failed iterations grouped by error, each group with its first traceback."""

from __future__ import annotations

from squall.reports.html.charts import Charts
from squall.reports.html.model import WorkloadGroup
from squall.reports.html.text import details, esc


def render(group: WorkloadGroup, charts: Charts) -> str | None:
    parts = []
    for view in group.views:
        if not view.failures:
            continue
        label = f"<h4>{esc(view.run_label)}</h4>" if len(group.views) > 1 else ""
        items = []
        for failure in view.failures:
            numbers = ", ".join(str(n) for n in failure.iterations)
            more = "…" if failure.count > len(failure.iterations) else ""
            head = (
                f'<span class="bad">{failure.count:,}×</span> <code>{esc(failure.type)}</code>: '
                f"{esc(failure.message)} <small>(iterations {numbers}{more})</small>"
            )
            trace = (
                f'<pre class="trace">{esc(failure.traceback)}</pre>' if failure.traceback else ""
            )
            items.append(f"<li>{details(head, trace) if trace else head}</li>")
        if view.other_failures:
            items.append(f"<li>{view.other_failures:,} more failures of other kinds</li>")
        parts.append(label + '<ul class="failures">' + "".join(items) + "</ul>")
    return "".join(parts) or None
