"""``json``: squall's own JSON, schema ``squall.run/2`` (docs/schema/run-v2.md).

``-o schema=1`` writes the older ``squall.run/1`` (docs/schema/run-v1.md) for readers
written against it. Both share everything but the iterations: the run, workload and
summary objects below; the iteration rows are in ``_squall_v1`` and ``_squall_v2``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, ClassVar, Literal, TextIO

from pydantic import BaseModel, ConfigDict, Field

import squall
from squall.reports.exporters import _squall_v1, _squall_v2
from squall.reports.exporters._stream import Stream, finite, write_json
from squall.reports.exporters.base import Exporter, RunData, options
from squall.reports.redact import redact
from squall.results.records import HookResult, RunRecord, WorkloadRecord, WorkloadSummary

SCHEMAS = {1: "squall.run/1", 2: "squall.run/2"}
SCHEMA = SCHEMAS[2]


class SquallJSONConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_version: Literal[1, 2] = Field(
        default=2,
        alias="schema",
        description="2: compact iteration rows (docs/schema/run-v2.md); "
        "1: one object per iteration, full float precision (docs/schema/run-v1.md)",
    )
    iterations: bool = Field(default=True, description="include every iteration record")
    indent: int = Field(default=2, ge=0, le=8, description="indentation of the structure")


class SquallJSONExporter(Exporter):
    """squall's versioned JSON: runs, workloads, summaries and every iteration.

    The structure is indented; each iteration is one compact line, so the file can
    be streamed, diffed and grepped. Times are seconds (epoch seconds for points in
    time); the schema is described in ``docs/schema/run-v2.md`` (``-o schema=1``:
    ``docs/schema/run-v1.md``).
    """

    name: ClassVar[str] = "json"
    Config: ClassVar[type[BaseModel]] = SquallJSONConfig
    media_type: ClassVar[str] = "application/json"
    suffix: ClassVar[str] = ".json"

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        self.options = options(config, SquallJSONConfig)

    def export(self, runs: Sequence[RunData], out: TextIO) -> None:
        document = {
            "schema": SCHEMAS[self.options.schema_version],
            "generator": {"name": "squall", "version": squall.__version__},
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "runs": [self._run(run) for run in runs],
        }
        write_json(out, document, indent=self.options.indent)

    def _run(self, run: RunData) -> dict[str, Any]:
        record = run.record
        return {
            **run_header(record),
            "workloads": [self._workload(run, w) for w in record.workloads],
        }

    def _workload(self, run: RunData, workload: WorkloadRecord) -> dict[str, Any]:
        data = workload_header(workload)
        if not self.options.iterations:
            return data
        items = run.iterations(workload.id)
        if self.options.schema_version == 1:
            data["iterations"] = Stream(map(_squall_v1.iteration_json, items))
        else:
            data["iteration_fields"] = list(_squall_v2.ITERATION_FIELDS)
            data["atomic_action_fields"] = list(_squall_v2.ACTION_FIELDS)
            data["iterations"] = Stream(map(_squall_v2.iteration_row, items), indented=False)
        return data


def run_header(record: RunRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "title": record.title,
        "description": record.description,
        "tags": list(record.tags),
        "status": record.status.value,
        "created_at": record.created_at,
        "finished_at": record.finished_at,
        "source_format": record.source_format,
        "pass_sla": record.pass_sla,
        "environment": redact(asdict(record.environment)),
        "task": record.task,
    }


def workload_header(workload: WorkloadRecord) -> dict[str, Any]:
    return {
        "id": workload.id,
        "subtask_index": workload.subtask_index,
        "workload_index": workload.workload_index,
        "subtask_title": workload.subtask_title,
        "config": workload.config,
        "summary": None if workload.summary is None else summary_json(workload.summary),
    }


def summary_json(summary: WorkloadSummary) -> dict[str, Any]:
    return {
        "status": summary.status.value,
        "start_time": summary.start_time,
        "load_duration": summary.load_duration,
        "full_duration": summary.full_duration,
        "total_iteration_count": summary.total_iteration_count,
        "failed_iteration_count": summary.failed_iteration_count,
        "min_duration": summary.min_duration,
        "max_duration": summary.max_duration,
        "achieved_rate": finite(summary.achieved_rate),
        "target_rate": finite(summary.target_rate),
        "max_start_lag": finite(summary.max_start_lag),
        "pass_sla": summary.pass_sla,
        "sla_results": [asdict(r) for r in summary.sla_results],
        "stats": [asdict(row) for row in summary.stats],
        "hook_results": [hook_json(h) for h in summary.hook_results],
        "contexts_results": summary.contexts_results,
        "quantisation": summary.quantisation,
        "histograms": summary.histograms,
    }


def hook_json(hook: HookResult) -> dict[str, Any]:
    return asdict(hook)
