"""The records that cross from the engine into the store and out to reports.

They are plain data; the store maps them to tables, the exporters to files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from squall.sla.base import SLAResult


class RunStatus(StrEnum):
    INIT = "init"
    RUNNING = "running"
    FINISHED = "finished"  # every workload ran (SLA verdicts are separate)
    ABORTING = "aborting"
    ABORTED = "aborted"  # stopped by the user; partial results kept
    CRASHED = "crashed"  # an error stopped it; partial results kept


@dataclass(frozen=True, slots=True)
class Environment:
    """Where and with what a run was made."""

    squall_version: str
    python: str
    host: str
    platform: str
    cloud: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TriggeredBy:
    event_type: str  # "time" or "iteration"
    value: float


@dataclass(frozen=True, slots=True)
class HookResult:
    """One firing of one hook, in Rally's shape plus which hook it was."""

    hook_index: int
    action: str
    trigger: str
    description: str
    status: str  # "success" or "failed"
    started_at: float
    finished_at: float
    triggered_by: TriggeredBy
    error: dict[str, str] | None = None
    output: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class StatsRow:
    """One row of the summary table: an atomic action or the total.

    Durations in seconds; ``None`` where no successful iteration gives a value.
    Percentiles are exact (linear interpolation at (n-1)p, as Rally computes).
    """

    name: str
    count: int
    success: float  # percent of iterations where this action succeeded
    min: float | None
    median: float | None
    p90: float | None
    p95: float | None
    p99: float | None
    max: float | None
    avg: float | None


@dataclass(frozen=True, slots=True)
class WorkloadSummary:
    """Everything known about one workload once it has run (or was stopped).

    ``quantisation`` names every polling interval or clock step that limits the
    precision of a figure in this workload (e.g. ``{"nova.boot_server.poll": 2.0}``).
    """

    subtask_index: int
    workload_index: int
    scenario: str
    status: RunStatus
    start_time: float | None
    load_duration: float
    full_duration: float
    total_iteration_count: int
    failed_iteration_count: int
    min_duration: float | None
    max_duration: float | None
    pass_sla: bool
    sla_results: list[SLAResult]
    stats: list[StatsRow]
    hook_results: list[HookResult] = field(default_factory=list)
    contexts_results: list[dict[str, Any]] = field(default_factory=list)
    achieved_rate: float | None = None
    target_rate: float | None = None
    max_start_lag: float | None = None
    quantisation: dict[str, float] = field(default_factory=dict)
    histograms: dict[str, str] = field(default_factory=dict)  # name -> encoded HdrHistogram


@dataclass(frozen=True, slots=True)
class WorkloadRecord:
    """A stored workload: its id in the store, its config, its summary (if finished).

    ``workload_index`` is its place in the run's subtask; ``written_index`` its place
    as the task file has it, before ``cloud: all`` (or a list of clouds) made it one
    workload per cloud (``None`` for a workload stored by an older squall).
    """

    id: int
    subtask_index: int
    workload_index: int
    subtask_title: str
    config: dict[str, Any]  # task.model.Workload.model_dump(mode="json")
    summary: WorkloadSummary | None
    written_index: int | None = None

    @property
    def task_index(self) -> int:
        """Its place as written, or in the run when that was not stored."""
        return self.workload_index if self.written_index is None else self.written_index

    @property
    def cloud(self) -> str | None:
        """The cloud its ``cloud`` context named (``None``: the run's first cloud)."""
        contexts = self.config.get("contexts")
        choice = contexts.get("cloud") if isinstance(contexts, dict) else None
        if isinstance(choice, dict):
            choice = choice.get("name")
        return choice if isinstance(choice, str) else None


@dataclass(frozen=True, slots=True)
class RunRecord:
    """A stored run (Rally calls it a task) with its workloads."""

    id: str  # uuid4 hex string
    title: str
    description: str
    tags: list[str]
    status: RunStatus
    created_at: float
    finished_at: float | None
    source_format: str
    task: dict[str, Any]  # task.model.Task.model_dump(mode="json")
    environment: Environment
    workloads: list[WorkloadRecord] = field(default_factory=list)

    @property
    def pass_sla(self) -> bool:
        return all(w.summary is None or w.summary.pass_sla for w in self.workloads)
