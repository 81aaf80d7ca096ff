"""``rally-json``: Rally's task export, ``format_version`` "1.2", for tools that parse it.

The shape and field names are those of Rally's ``json`` exporter
(``info`` + ``tasks[].subtasks[].workloads[]``, each workload with its iteration
records under ``data``), and the document passes the task schema ``rally task
import`` validates. squall's extra figures (p99, scheduled starts, rates) stay out;
they are in squall's own ``json`` export. Rally keeps uuids where squall keeps
numbers: subtask and workload uuids are derived from the run id (uuid5), so they
are stable from one export to the next.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any, ClassVar, TextIO

from pydantic import BaseModel, ConfigDict, Field

import squall
from squall.iteration import AtomicAction, IterationResult
from squall.reports.exporters._iteration_json import output_json
from squall.reports.exporters._stream import Stream, write_json
from squall.reports.exporters.base import Exporter, RunData, options
from squall.results.records import HookResult, RunRecord, StatsRow, WorkloadRecord
from squall.stats.summary import DurationSummary, StatsNode, stats_tree

FORMAT_VERSION = "1.2"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


class RallyJSONConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    indent: int = Field(default=4, ge=0, le=8, description="indentation of the structure")


class RallyJSONExporter(Exporter):
    """Rally's JSON task report (format_version 1.2), readable by Rally's tools.

    Iteration records keep Rally's fields: duration, timestamp, idle_duration,
    error ([type, message, traceback] or []), output and atomic_actions.
    """

    name: ClassVar[str] = "rally-json"
    Config: ClassVar[type[BaseModel]] = RallyJSONConfig
    media_type: ClassVar[str] = "application/json"
    suffix: ClassVar[str] = ".json"

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        self.options = options(config, RallyJSONConfig)

    def export(self, runs: Sequence[RunData], out: TextIO) -> None:
        document = {
            "info": {
                "rally_version": f"squall {squall.__version__}",
                "generated_at": time.strftime(TIME_FORMAT, time.gmtime()),
                "format_version": FORMAT_VERSION,
            },
            "tasks": [_task(run) for run in runs],
        }
        write_json(out, document, indent=self.options.indent)


def _when(epoch: float | None) -> str:
    return time.strftime(TIME_FORMAT, time.gmtime(epoch or 0.0))


def _task(run: RunData) -> dict[str, Any]:
    record = run.record
    updated = _when(record.finished_at or record.created_at)
    return {
        "uuid": str(_run_uuid(record)),
        "title": record.title,
        "description": record.description,
        "status": record.status.value,
        "tags": list(record.tags),
        "env_uuid": str(record.environment.cloud.get("uuid", "n/a")),
        "env_name": str(record.environment.cloud.get("name", "n/a")),
        "created_at": _when(record.created_at),
        "updated_at": updated,
        "pass_sla": record.pass_sla,
        "subtasks": [_subtask(run, index, items) for index, items in _by_subtask(record)],
    }


def _run_uuid(record: RunRecord) -> uuid.UUID:
    try:
        return uuid.UUID(hex=record.id)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_OID, record.id)


def _by_subtask(record: RunRecord) -> list[tuple[int, list[WorkloadRecord]]]:
    groups: dict[int, list[WorkloadRecord]] = {}
    for workload in record.workloads:
        groups.setdefault(workload.subtask_index, []).append(workload)
    return sorted(groups.items())


def _subtask(run: RunData, index: int, workloads: list[WorkloadRecord]) -> dict[str, Any]:
    record = run.record
    spec = _subtask_spec(record, index)
    return {
        "uuid": str(uuid.uuid5(_run_uuid(record), f"subtask/{index}")),
        "title": workloads[0].subtask_title,
        "description": str(spec.get("description", "")),
        "status": record.status.value,
        "created_at": _when(record.created_at),
        "updated_at": _when(record.finished_at or record.created_at),
        "sla": {},
        "workloads": [_workload(run, w) for w in workloads],
    }


def _subtask_spec(record: RunRecord, index: int) -> dict[str, Any]:
    subtasks = record.task.get("subtasks", [])
    spec = subtasks[index] if isinstance(subtasks, list) and index < len(subtasks) else None
    return dict(spec) if isinstance(spec, dict) else {}


def _plugin(ref: Any) -> dict[str, Any]:
    """``{"name": n, "args": a}`` (the task model's PluginRef) as Rally's ``{n: a}``."""
    if isinstance(ref, dict) and "name" in ref:
        return {str(ref["name"]): ref.get("args", {})}
    return {}


def _workload(run: RunData, workload: WorkloadRecord) -> dict[str, Any]:
    config = workload.config
    summary = workload.summary
    started = summary.start_time if summary is not None else None
    created = _when(started or run.record.created_at)
    full = summary.full_duration if summary is not None else 0.0
    return {
        "uuid": str(uuid.uuid5(_run_uuid(run.record), f"workload/{workload.id}")),
        "description": str(config.get("description", "")),
        "runner": _plugin(config.get("runner")),
        "hooks": _hooks(config.get("hooks", []), summary.hook_results if summary else []),
        "scenario": _plugin(config.get("scenario")),
        "min_duration": summary.min_duration if summary else None,
        "max_duration": summary.max_duration if summary else None,
        "start_time": started,
        "load_duration": summary.load_duration if summary else 0.0,
        "full_duration": full,
        "statistics": {"durations": durations(summary.stats if summary else [])},
        "data": Stream(map(rally_iteration, run.iterations(workload.id))),
        "failed_iteration_count": summary.failed_iteration_count if summary else 0,
        "total_iteration_count": summary.total_iteration_count if summary else 0,
        "created_at": created,
        "updated_at": _when((started or run.record.created_at) + full),
        "contexts": config.get("contexts", {}),
        "contexts_results": summary.contexts_results if summary else [],
        "position": workload.workload_index,
        "pass_sla": summary.pass_sla if summary else True,
        "sla_results": {"sla": [_sla(r) for r in summary.sla_results] if summary else []},
        "sla": config.get("sla", {}),
    }


def _sla(result: Any) -> dict[str, Any]:
    return {"criterion": result.criterion, "success": result.success, "detail": result.detail}


def _hooks(specs: list[dict[str, Any]], results: list[HookResult]) -> list[dict[str, Any]]:
    hooks = []
    for index, spec in enumerate(specs):
        fired = [_hook_result(r) for r in results if r.hook_index == index]
        summary: dict[str, int] = {}
        for result in fired:
            summary[result["status"]] = summary.get(result["status"], 0) + 1
        hooks.append(
            {
                "config": {
                    "action": _plugin(spec.get("action")),
                    "trigger": _plugin(spec.get("trigger")),
                    "description": spec.get("description", ""),
                },
                "results": fired,
                "summary": summary,
            }
        )
    return hooks


def _hook_result(result: HookResult) -> dict[str, Any]:
    value: float | int = result.triggered_by.value
    if result.triggered_by.event_type == "iteration" and float(value).is_integer():
        value = int(value)
    data: dict[str, Any] = {
        "status": result.status,
        "started_at": result.started_at,
        "finished_at": result.finished_at,
        "triggered_by": {"event_type": result.triggered_by.event_type, "value": value},
    }
    if result.error is not None:
        # Rally keeps {etype, msg, details} but its task import accepts only the
        # list [type, message, details]; write what Rally's own tools can read back.
        error = result.error
        data["error"] = [str(error.get(k, "")) for k in ("etype", "msg", "details")]
    if result.output is not None:
        data["output"] = result.output
    return data


def durations(rows: list[StatsRow]) -> dict[str, Any]:
    """``statistics.durations`` as Rally's ``MainStatsTable.to_dict()`` shapes it."""
    nodes = stats_tree(rows or DurationSummary().rows())
    rendered = [_stats_node(node) for node in nodes]
    return {"total": rendered[-1], "atomics": rendered[:-1]}


def _stats_node(node: StatsNode) -> dict[str, Any]:
    row = node.row
    has = row.count > 0
    return {
        "data": {
            "iteration_count": row.count,
            "min": _round(row.min, has),
            "median": _round(row.median, has),
            "90%ile": _round(row.p90, has),
            "95%ile": _round(row.p95, has),
            "max": _round(row.max, has),
            "avg": _round(row.avg, has),
            "success": f"{row.success:.1f}%" if has else "n/a",
        },
        "count_per_iteration": node.count_per_iteration,
        "name": node.name,
        "display_name": node.display_name,
        "children": [_stats_node(child) for child in node.children],
    }


def _round(value: float | None, has: bool) -> float | str:
    return round(value, 3) if has and value is not None else "n/a"


def rally_iteration(it: IterationResult) -> dict[str, Any]:
    """One iteration in Rally's raw-result shape (``runner.ScenarioRunnerResult``)."""
    error = it.error
    return {
        "duration": it.duration,
        "timestamp": it.timestamp,
        "idle_duration": it.idle_duration,
        "error": [] if error is None else [error.type, error.message, error.traceback],
        "output": output_json(it.output),
        "atomic_actions": [_action(a) for a in it.atomic_actions],
    }


def _action(action: AtomicAction) -> dict[str, Any]:
    # Rally's tools cannot read an action without an end; one that never finished
    # (the iteration timed out inside it) is written as failed, with no duration.
    finished = action.finished_at
    data: dict[str, Any] = {
        "name": action.name,
        "started_at": action.started_at,
        "finished_at": action.started_at if finished is None else finished,
        "children": [_action(c) for c in action.children],
    }
    if action.failed or finished is None:
        data["failed"] = True
    return data
