"""The report's sections, one module each, in page order.

A workload section is ``render(group: WorkloadGroup, charts: Charts) -> str | None``
(None: nothing to show for this workload); a report section is
``render(report: Report, charts: Charts) -> str | None``; a data-plane section is
``render(group: DataplaneGroup, charts: Charts) -> str | None``, per test repetition.
Add a module and list it here.
"""

from __future__ import annotations

from collections.abc import Callable

from squall.reports.html.charts import Charts
from squall.reports.html.model import DataplaneGroup, Report, WorkloadGroup
from squall.reports.html.sections import (
    atomic,
    dataplane,
    environment,
    failures,
    histogram,
    hooks,
    latency,
    load,
    output,
    overview,
    resilience_runs,
    runs,
    sla,
)

ReportSection = Callable[[Report, Charts], str | None]
WorkloadSection = Callable[[WorkloadGroup, Charts], str | None]
DataplaneSection = Callable[[DataplaneGroup, Charts], str | None]

REPORT_SECTIONS: list[tuple[str, ReportSection]] = [
    ("Runs", runs.render),
    ("Environment", environment.render),
    ("Resilience", resilience_runs.render),
    ("Data-plane runs", dataplane.runs),
]

WORKLOAD_SECTIONS: list[tuple[str, WorkloadSection]] = [
    ("Summary", overview.render),
    ("Load", load.render),
    ("Latency over time", latency.render),
    ("Duration distribution", histogram.render),
    ("Atomic actions", atomic.render),
    ("Scenario output", output.render),
    ("SLA", sla.render),
    ("Hooks", hooks.render),
    ("Failures", failures.render),
]

DATAPLANE_SECTIONS: list[tuple[str, DataplaneSection]] = [
    ("Summary", dataplane.summary),
    ("Throughput over time", dataplane.throughput),
    ("Latency over time", dataplane.latency),
    ("Source × destination", dataplane.heatmap),
    ("Outlier hosts", dataplane.hosts),
]
