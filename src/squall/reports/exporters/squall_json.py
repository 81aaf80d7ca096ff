"""``json``: squall's own JSON, schema ``squall.run/1`` (docs/schema/run-v1.md)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from typing import Any, ClassVar, TextIO

from pydantic import BaseModel, ConfigDict, Field

import squall
from squall.iteration import AtomicAction, IterationResult, OutputChart
from squall.reports.exporters._stream import Stream, finite, write_json
from squall.reports.exporters.base import Exporter, RunData, options
from squall.reports.redact import redact
from squall.results.records import HookResult, RunRecord, WorkloadRecord, WorkloadSummary

SCHEMA = "squall.run/1"


class SquallJSONConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    iterations: bool = Field(default=True, description="include every iteration record")
    indent: int = Field(default=2, ge=0, le=8, description="indentation of the structure")


class SquallJSONExporter(Exporter):
    """squall's versioned JSON: runs, workloads, summaries and every iteration.

    The structure is indented; each iteration is one compact line, so the file can
    be streamed, diffed and grepped. Times are seconds (epoch seconds for points in
    time); the schema is described in ``docs/schema/run-v1.md``.
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
            "schema": SCHEMA,
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
        if self.options.iterations:
            data["iterations"] = Stream(iterations_json(run.iterations(workload.id)))
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


def iterations_json(items: Iterable[IterationResult]) -> Iterator[dict[str, Any]]:
    for it in items:
        yield iteration_json(it)


def iteration_json(it: IterationResult) -> dict[str, Any]:
    error = it.error
    return {
        "number": it.number,
        "scheduled_offset": it.scheduled_offset,
        "start_offset": it.start_offset,
        "timestamp": it.timestamp,
        "duration": it.duration,
        "idle_duration": it.idle_duration,
        "error": None
        if error is None
        else {"type": error.type, "message": error.message, "traceback": error.traceback},
        "atomic_actions": [action_json(a) for a in it.atomic_actions],
        "output": {
            "additive": [chart_json(c) for c in it.output.additive],
            "complete": [chart_json(c) for c in it.output.complete],
        },
        "worker": it.worker,
    }


def action_json(action: AtomicAction) -> dict[str, Any]:
    return {
        "name": action.name,
        "started_at": action.started_at,
        "finished_at": action.finished_at,
        "failed": action.failed,
        "children": [action_json(c) for c in action.children],
    }


def chart_json(chart: OutputChart) -> dict[str, Any]:
    return {
        "title": chart.title,
        "description": chart.description,
        "chart_plugin": chart.chart_plugin,
        "data": chart.data,
        "label": chart.label,
        "axis_label": chart.axis_label,
    }
