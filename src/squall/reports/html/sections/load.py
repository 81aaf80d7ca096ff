"""The load profile: concurrency over time, scheduled against actual starts, start lag."""

from __future__ import annotations

from squall.reports.html.charts import Charts, colour, line, time_layout
from squall.reports.html.model import WorkloadGroup


def render(group: WorkloadGroup, charts: Charts) -> str | None:
    views = [v for v in group.views if v.timeline.time]
    if not views:
        return None
    markers = [m for v in views for m in v.markers]
    concurrency = [
        line(v.timeline.time, v.timeline.concurrency, f"{v.run_label} in flight",
             line={"color": colour(v.run_index)}, fill="tozeroy" if len(views) == 1 else None)
        for v in views
    ]  # fmt: skip
    rates = []
    lags = []
    for v in views:
        tl = v.timeline
        rates.append(
            line(
                tl.time,
                tl.scheduled_rate,
                f"{v.run_label} scheduled",
                line={"color": colour(v.run_index), "dash": "dot"},
            )
        )
        rates.append(
            line(
                tl.time,
                tl.actual_rate,
                f"{v.run_label} started",
                line={"color": colour(v.run_index)},
            )
        )
        lags.append(
            line(
                tl.time,
                tl.lag_max,
                f"{v.run_label} max lag",
                line={"color": colour(v.run_index), "dash": "dot"},
            )
        )
        lags.append(line(tl.time, tl.lag_mean, f"{v.run_label} mean lag",
                         line={"color": colour(v.run_index)}))  # fmt: skip
    return (
        charts.add(concurrency, time_layout("Concurrency (mean in flight)", "iterations", markers))
        + charts.add(rates, time_layout("Start rate: scheduled vs actual", "starts/s", markers))
        + charts.add(lags, time_layout("Start lag (actual − scheduled)", "seconds", markers), 260)
    )
