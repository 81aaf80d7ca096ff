"""Rows of the store to the records other layers read."""

from __future__ import annotations

from squall.results.models import RunRow, WorkloadRow
from squall.results.records import RunRecord, RunStatus, WorkloadRecord
from squall.results.serialize import environment_from_json, summary_from_json


def workload_record(row: WorkloadRow) -> WorkloadRecord:
    return WorkloadRecord(
        id=row.id,
        subtask_index=row.subtask_index,
        workload_index=row.workload_index,
        written_index=row.written_index,
        subtask_title=row.subtask_title,
        config=row.config,
        summary=summary_from_json(row.summary) if row.summary is not None else None,
    )


def run_record(row: RunRow) -> RunRecord:
    return RunRecord(
        id=row.id,
        title=row.title,
        description=row.description,
        tags=[t.tag for t in row.tags],
        status=RunStatus(row.status),
        created_at=row.created_at,
        finished_at=row.finished_at,
        source_format=row.source_format,
        task=row.task,
        environment=environment_from_json(row.environment),
        workloads=[workload_record(w) for w in row.workloads],
    )
