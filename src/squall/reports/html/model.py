"""What the HTML report is made of, once read from the store."""

from __future__ import annotations

from dataclasses import dataclass, field

from squall.reports.html.output import OutputDigest
from squall.results.records import RunRecord, WorkloadRecord
from squall.stats.timeline import TimelineSeries


@dataclass(frozen=True, slots=True)
class Marker:
    """Something that happened during the load, in seconds from the load start.

    ``kind`` is ``hook`` for hook firings; fault injections and downtime windows
    come as other kinds. Drawn as a band (or a line when ``end == start``).
    """

    start: float
    end: float
    label: str
    kind: str = "hook"
    failed: bool = False


@dataclass(frozen=True, slots=True)
class FailureGroup:
    """Failed iterations that share an error type and message."""

    type: str
    message: str
    count: int
    iterations: list[int]  # the first few iteration numbers
    traceback: str  # of the first one


@dataclass(frozen=True, slots=True)
class WorkloadView:
    """One workload of one run, ready to draw."""

    run_index: int
    run_label: str
    record: WorkloadRecord
    timeline: TimelineSeries
    failures: list[FailureGroup]
    other_failures: int  # failures beyond the groups kept
    markers: list[Marker]
    histograms: dict[str, list[tuple[float, int]]]  # row name -> (seconds, count) buckets
    wall_start: float = 0.0  # wall-clock time of the load start (offset 0)
    output: OutputDigest | None = None  # scenario output, if the scenario gave any


@dataclass(frozen=True, slots=True)
class WorkloadGroup:
    """The same workload (subtask, position, scenario) across the runs in the report."""

    key: str
    title: str
    views: list[WorkloadView]


@dataclass(frozen=True, slots=True)
class RunView:
    index: int
    label: str
    record: RunRecord


@dataclass(frozen=True, slots=True)
class Report:
    runs: list[RunView]
    groups: list[WorkloadGroup] = field(default_factory=list)
    generated_at: float = 0.0
