"""What the API accepts and answers (pydantic models; they make the OpenAPI schema)."""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from squall.reports.redact import redact
from squall.results.records import RunRecord, StatsRow, WorkloadRecord
from squall.stats.compare import Change


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Model):
    error: str
    hint: str | None = None
    problems: list[str] = Field(default_factory=list)


class StatsRowOut(Model):
    name: str
    count: int
    success: float
    min: float | None
    median: float | None
    p90: float | None
    p95: float | None
    p99: float | None
    max: float | None
    avg: float | None

    @classmethod
    def of(cls, row: StatsRow) -> StatsRowOut:
        return cls(
            name=row.name, count=row.count, success=row.success, min=row.min, median=row.median,
            p90=row.p90, p95=row.p95, p99=row.p99, max=row.max, avg=row.avg,
        )  # fmt: skip


class SLAOut(Model):
    criterion: str
    success: bool
    detail: str


class WorkloadOut(Model):
    id: int
    subtask_index: int
    workload_index: int
    subtask_title: str
    scenario: str
    status: str
    iterations: int
    failed: int
    pass_sla: bool
    load_duration: float | None
    achieved_rate: float | None
    stats: list[StatsRowOut]
    sla: list[SLAOut]

    @classmethod
    def of(cls, w: WorkloadRecord) -> WorkloadOut:
        s = w.summary
        scenario = s.scenario if s else str((w.config.get("scenario") or {}).get("name", ""))
        return cls(
            id=w.id,
            subtask_index=w.subtask_index,
            workload_index=w.workload_index,
            subtask_title=w.subtask_title,
            scenario=scenario,
            status=str(s.status) if s else "unfinished",
            iterations=s.total_iteration_count if s else 0,
            failed=s.failed_iteration_count if s else 0,
            pass_sla=s.pass_sla if s else True,
            load_duration=s.load_duration if s else None,
            achieved_rate=finite(s.achieved_rate) if s else None,
            stats=[StatsRowOut.of(r) for r in s.stats] if s else [],
            sla=[SLAOut(criterion=r.criterion, success=r.success, detail=r.detail)
                 for r in (s.sla_results if s else [])],
        )  # fmt: skip


class RunBrief(Model):
    id: str
    title: str
    tags: list[str]
    status: str
    created_at: float
    finished_at: float | None
    pass_sla: bool
    workloads: int

    @classmethod
    def of(cls, r: RunRecord) -> RunBrief:
        return cls(
            id=r.id, title=r.title, tags=list(r.tags), status=str(r.status),
            created_at=r.created_at, finished_at=r.finished_at, pass_sla=r.pass_sla,
            workloads=len(r.workloads),
        )  # fmt: skip


class RunOut(RunBrief):
    description: str
    source_format: str
    environment: dict[str, Any]
    workload_results: list[WorkloadOut]

    @classmethod
    def of(cls, r: RunRecord) -> RunOut:
        env = r.environment
        environment = redact(
            {
                "squall_version": env.squall_version,
                "python": env.python,
                "host": env.host,
                "platform": env.platform,
                "cloud": env.cloud,
            }
        )
        brief = RunBrief.of(r).model_dump()
        return cls(
            **brief,
            description=r.description,
            source_format=r.source_format,
            environment=environment,
            workload_results=[WorkloadOut.of(w) for w in r.workloads],
        )


class TaskIn(Model):
    task: str = Field(description="The task file's text: YAML or JSON, squall's or Rally's format")
    task_args: str | None = Field(default=None, description="Template arguments: YAML, JSON or k=v")


class StartIn(TaskIn):
    tags: list[str] = Field(default_factory=list)
    clouds: list[str] = Field(default_factory=list, description="clouds.yaml entries to use")


class ValidateOut(Model):
    title: str
    source_format: str
    subtasks: int
    workloads: int


class StartOut(Model):
    run_id: str
    title: str


class WorkloadProgressOut(Model):
    subtask_index: int
    workload_index: int
    scenario: str
    runner: str
    expected_total: int | None
    expected_duration: float | None
    done: int
    failed: int
    rate: float
    elapsed: float
    finished: bool


class ProgressOut(Model):
    run_id: str
    status: str
    running_here: bool
    error: str | None = None
    skipped: list[str] = Field(default_factory=list)
    workloads: list[WorkloadProgressOut] = Field(default_factory=list)


class PluginOut(Model):
    family: str
    name: str
    origin: str
    summary: str


class ChangeOut(Model):
    metric: str
    before: float | None
    after: float | None
    change: float | None
    low: float | None
    high: float | None
    p_value: float | None
    verdict: str
    beyond_threshold: bool

    @classmethod
    def of(cls, c: Change) -> ChangeOut:
        return cls(
            metric=c.metric, before=finite(c.before), after=finite(c.after),
            change=finite(c.change), low=finite(c.low), high=finite(c.high),
            p_value=finite(c.p_value), verdict=str(c.verdict), beyond_threshold=c.beyond_threshold,
        )  # fmt: skip


class SeriesCompareOut(Model):
    name: str
    changes: list[ChangeOut]


class WorkloadCompareOut(Model):
    label: str
    verdict: str
    throughput: ChangeOut
    failure_rate: ChangeOut
    series: list[SeriesCompareOut]


class CompareOut(Model):
    kind: str = Field(description="task: per workload; dataplane: per data-plane test")
    before: str
    after: str
    verdict: str
    workloads: list[WorkloadCompareOut]
    unmatched: list[str]


class TrendPointOut(Model):
    run_id: str
    created_at: float
    p50: float | None
    p95: float | None
    p99: float | None
    throughput: float | None
    failure_rate: float | None
    versus_previous: str | None


class TrendOut(Model):
    label: str
    points: list[TrendPointOut]


class TrendsOut(Model):
    tag: str = Field(description="The tag followed, or the data-plane plan's title")
    runs: list[str]
    workloads: list[TrendOut]


class CleanupIn(Model):
    run: str | None = Field(default=None, description="a run id, prefix or 'last'")
    all_runs: bool = False
    dry_run: bool = True
    older_than: str | None = Field(default=None, description="e.g. 90s, 30m, 2h, 1d")
    clouds: list[str] = Field(default_factory=list)


class CloudCleanupOut(Model):
    cloud: str
    dry_run: bool
    planned: list[str]
    deleted: list[str]
    failed: list[str]
    #: kinds the cloud's credentials may not list: not searched by name
    unlisted: list[str] = []


def finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value


def error_response(description: str) -> dict[str, Any]:
    """An error answer as documented on every route (JSON, whatever the route returns)."""
    return {
        "description": description,
        "content": {"application/json": {"schema": ErrorOut.model_json_schema()}},
    }


ERRORS: dict[int | str, dict[str, Any]] = {
    400: error_response("A request squall cannot act on (the message says why)"),
    401: error_response("A missing or wrong bearer token"),
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: error_response("No such run")}
EXPORT_FAILED: dict[int | str, dict[str, Any]] = {
    500: error_response("The export failed while it was written (none of it is sent)")
}
