"""Documents for OpenSearch / Elasticsearch, in the ``_bulk`` API's NDJSON.

Three kinds of document, as Rally's ``elastic`` exporter indexes them (its index
names are accepted): one per run (Rally: task), one per workload, and one per
atomic action of every iteration (nested two levels deep, plus a ``no-name-action``
where an iteration failed outside any action). Workload documents carry squall's
percentiles too. Secrets in configs are masked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from squall.iteration import AtomicAction, IterationResult
from squall.reports.exporters.base import RunData
from squall.reports.redact import redact
from squall.results.records import RunRecord, WorkloadRecord
from squall.stats.summary import TOTAL

MAX_DEPTH = 3
NO_NAME = "no-name-action"


@dataclass(frozen=True, slots=True)
class Indices:
    run: str
    workload: str
    action: str


INDICES = {
    "squall": Indices("squall_run_v1", "squall_workload_v1", "squall_atomic_action_v1"),
    "rally": Indices("rally_task_data_v1", "rally_workload_data_v1", "rally_atomic_action_data_v1"),
}


@dataclass(frozen=True, slots=True)
class Document:
    index: str
    id: str
    body: dict[str, Any]


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def flatten(value: Any, prefix: str = "") -> list[str]:
    """A config as ``path=value`` strings (keyword fields that can be searched)."""
    if isinstance(value, dict):
        found: list[str] = []
        for key, item in value.items():
            found.extend(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return found
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return [f"{prefix}={json.dumps(value)}"]
        found = []
        for i, item in enumerate(value):
            found.extend(flatten(item, f"{prefix}[{i}]"))
        return found
    return [f"{prefix}={value}"]


def documents(
    runs: Iterable[RunData], indices: Indices, *, actions: bool = True
) -> Iterator[Document]:
    for run in runs:
        record = run.record
        yield Document(indices.run, record.id, run_document(record))
        for workload in record.workloads:
            body = workload_document(record, workload)
            workload_id = workload_doc_id(record, workload)
            yield Document(indices.workload, workload_id, body)
            if actions:
                for it in run.iterations(workload.id):
                    yield from action_documents(it, body, workload_id, indices.action)


def workload_doc_id(record: RunRecord, workload: WorkloadRecord) -> str:
    return f"{record.id}_{workload.subtask_index}_{workload.workload_index}"


def run_document(record: RunRecord) -> dict[str, Any]:
    cloud = record.environment.cloud
    return {
        "task_uuid": record.id,
        "deployment_uuid": str(cloud.get("name", "")),
        "deployment_name": str(cloud.get("name", "")),
        "title": record.title,
        "description": record.description,
        "status": str(record.status),
        "pass_sla": record.pass_sla,
        "tags": list(record.tags),
        "created_at": iso(record.created_at),
        "squall_version": record.environment.squall_version,
    }


def workload_document(record: RunRecord, workload: WorkloadRecord) -> dict[str, Any]:
    config = redact(workload.config)
    scenario = config.get("scenario") or {}
    runner = config.get("runner") or {}
    summary = workload.summary
    body: dict[str, Any] = {
        "task_uuid": record.id,
        "subtask_uuid": f"{record.id}_{workload.subtask_index}",
        "deployment_uuid": str(record.environment.cloud.get("name", "")),
        "deployment_name": str(record.environment.cloud.get("name", "")),
        "scenario_name": scenario.get("name", ""),
        "scenario_cfg": flatten(scenario.get("args") or {}),
        "description": config.get("description", ""),
        "runner_name": runner.get("name", ""),
        "runner_cfg": flatten(runner.get("args") or {}),
        "contexts": flatten(config.get("contexts") or {}),
    }
    if summary is None:
        return body | {"pass_sla": False, "success_rate": 0.0, "sla_details": ["not finished"]}
    total = next((row for row in summary.stats if row.name == TOTAL), None)
    return body | {
        "started_at": iso(summary.start_time),
        "load_duration": summary.load_duration,
        "full_duration": summary.full_duration,
        "pass_sla": summary.pass_sla,
        "success_rate": (total.success / 100.0) if total and total.count else 0.0,
        "sla_details": [r.detail for r in summary.sla_results if not r.success],
        "iterations": summary.total_iteration_count,
        "failed_iterations": summary.failed_iteration_count,
        "achieved_rate": _finite(summary.achieved_rate),
        "p50": total.median if total else None,
        "p90": total.p90 if total else None,
        "p95": total.p95 if total else None,
        "p99": total.p99 if total else None,
    }


def action_documents(
    it: IterationResult, workload: dict[str, Any], workload_id: str, index: str
) -> Iterator[Document]:
    iteration_id = f"{workload_id}_iter_{it.number}"
    workload = workload | {"workload_uuid": workload_id}
    seen: dict[str, int] = {}
    yield from _actions(it, it.atomic_actions, workload, iteration_id, index, None, 0, seen)
    last_failed = bool(it.atomic_actions) and it.atomic_actions[-1].failed
    if it.error is not None and not last_failed:
        at = iso(it.timestamp + it.duration + it.idle_duration)
        doc_id = f"{iteration_id}_action_{NO_NAME}_0"
        body = _action_body(NO_NAME, workload, 0.0, at, at, None, _error(it))
        yield Document(index, doc_id, body)


def _actions(  # noqa: PLR0913 - a recursive walk carries its position
    it: IterationResult,
    actions: list[AtomicAction],
    workload: dict[str, Any],
    iteration_id: str,
    index: str,
    parent: str | None,
    depth: int,
    seen: dict[str, int],
) -> Iterator[Document]:
    if depth >= MAX_DEPTH:
        return
    for action in actions:
        number = seen.get(action.name, 0)
        seen[action.name] = number + 1
        doc_id = f"{iteration_id}_action_{action.name}_{number}"
        error = _error(it) if action.failed or action.finished_at is None else None
        body = _action_body(
            action.name,
            workload,
            action.duration,
            iso(action.started_at),
            iso(action.finished_at),
            parent,
            error,
        )
        yield Document(index, doc_id, body)
        yield from _actions(
            it, action.children, workload, iteration_id, index, doc_id, depth + 1, seen
        )


def _action_body(
    name: str,
    workload: dict[str, Any],
    duration: float | None,
    started_at: str | None,
    finished_at: str | None,
    parent: str | None,
    error: list[str] | None,
) -> dict[str, Any]:
    return {
        "deployment_uuid": workload["deployment_uuid"],
        "deployment_name": workload["deployment_name"],
        "action_name": name,
        "workload_uuid": workload["workload_uuid"],
        "scenario_cfg": workload["scenario_cfg"],
        "contexts": workload["contexts"],
        "runner_name": workload["runner_name"],
        "runner_cfg": workload["runner_cfg"],
        "success": error is None,
        "duration": duration,
        "started_at": started_at,
        "finished_at": finished_at,
        "parent": parent,
        "error": error,
    }


def _error(it: IterationResult) -> list[str] | None:
    if it.error is None:
        return None
    return [it.error.type, it.error.message, it.error.traceback]


def _finite(value: float | None) -> float | None:
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def bulk_lines(docs: Iterable[Document], doc_type: str | None = None) -> Iterator[str]:
    """Each document as its two NDJSON lines (action, source), newline-terminated."""
    for doc in docs:
        meta: dict[str, str] = {"_index": doc.index, "_id": doc.id}
        if doc_type:
            meta["_type"] = doc_type  # Elasticsearch 6 and older only
        yield json.dumps({"index": meta}, separators=(",", ":")) + "\n"
        yield json.dumps(doc.body, separators=(",", ":"), allow_nan=False, default=str) + "\n"
