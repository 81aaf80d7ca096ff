"""``csv``: the duration table of every workload, one row per action, for spreadsheets."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import ClassVar, TextIO

from squall.reports.exporters.base import Exporter, RunData

COLUMNS = [
    "run_id",
    "subtask",
    "workload",
    "scenario",
    "action",
    "count",
    "success_percent",
    "min",
    "median",
    "p90",
    "p95",
    "p99",
    "max",
    "avg",
]


class CSVExporter(Exporter):
    """Summary rows as CSV: run, subtask and workload positions, scenario, action, figures.

    Durations are seconds at full precision; an empty cell means no value (an
    action with no sample). Nested actions are named by path (``parent > child``).
    Workloads that never ran have no rows.
    """

    name: ClassVar[str] = "csv"
    media_type: ClassVar[str] = "text/csv"
    suffix: ClassVar[str] = ".csv"

    def export(self, runs: Sequence[RunData], out: TextIO) -> None:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for run in runs:
            for workload in run.record.workloads:
                if workload.summary is None:
                    continue
                scenario = workload.config.get("scenario", {})
                name = scenario.get("name", "") if isinstance(scenario, dict) else ""
                head = [run.record.id, workload.subtask_index, workload.workload_index, name]
                for row in workload.summary.stats:
                    figures = (row.min, row.median, row.p90, row.p95, row.p99, row.max, row.avg)
                    writer.writerow(
                        [*head, row.name, row.count, row.success]
                        + ["" if v is None else repr(v) for v in figures]
                    )
