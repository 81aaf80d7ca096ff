"""What the HTML report is made of, once read from the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from squall.api.resilience import ResilienceReport
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
    """The same workload across the runs in the report: its subtask, its position as
    written and its cloud (a workload written for several clouds: one group each)."""

    key: str
    title: str
    views: list[WorkloadView]


@dataclass(frozen=True, slots=True)
class RunView:
    index: int
    label: str
    record: RunRecord


@dataclass(frozen=True, slots=True)
class MonitorSeries:
    """One monitored target's probes in seconds since the run start (binned when many).

    ``latency``: the slowest successful probe of each point (None: none succeeded);
    ``failed``: failed probes at each point.
    """

    monitor: str
    target: str
    time: list[float]
    latency: list[float | None]
    failed: list[int]

    @property
    def name(self) -> str:
        return f"{self.monitor}:{self.target}"


@dataclass(frozen=True, slots=True)
class ResilienceView:
    """A run's monitors and faults: what was probed, what went down, what was injected."""

    run_index: int
    run_label: str
    origin: float  # wall-clock time of second 0 of its charts
    end: float  # seconds since origin of the last probe or fault event
    series: list[MonitorSeries]
    faults: list[Marker]  # seconds since origin
    analysis: ResilienceReport
    load_start: float = 0.0
    """Seconds since origin of the run's load start (its first workload's), where the
    charts of several runs are aligned; 0 for a run without load."""


@dataclass(frozen=True, slots=True)
class HostRow:
    """One host of a data-plane test as a source (client) or destination (server)."""

    role: str  # source | destination
    host: str
    pairs: int
    failed: int
    per_pair: float | None  # the headline counter per measured pair
    ratio: float | None  # per_pair over the median host's
    flagged: bool


@dataclass(frozen=True, slots=True)
class DataplaneTestView:
    """One repetition of one data-plane test of one run, ready to draw."""

    run_index: int
    run_label: str
    test: str
    tool: str
    repetition: int
    partial: bool
    failed_agents: list[str]
    pairs: int
    counters: dict[str, float]
    metric: str  # the throughput figure drawn (a rate)
    time: list[float]  # interval ends, seconds since the test started
    throughput: list[float | None]
    latency: dict[str, list[float | None]]  # "<histogram> p50" ... -> seconds per interval
    percentiles: dict[str, dict[str, float]]  # histogram -> percentile -> seconds (whole test)
    matrix: dict[str, Any] | None  # metric, sources, destinations, values (capped)
    hosts: list[HostRow]
    failed_pairs: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(client, server, status, error) of the first pairs that did not end ok."""


@dataclass(frozen=True, slots=True)
class DataplaneGroup:
    """The same test and repetition across the data-plane runs in the report."""

    key: str
    title: str
    views: list[DataplaneTestView]


@dataclass(frozen=True, slots=True)
class DataplaneRunView:
    index: int
    label: str
    run: dict[str, Any]  # the stored run document without its tests


@dataclass(frozen=True, slots=True)
class Report:
    runs: list[RunView]
    groups: list[WorkloadGroup] = field(default_factory=list)
    generated_at: float = 0.0
    resilience: list[ResilienceView] = field(default_factory=list)
    dataplane_runs: list[DataplaneRunView] = field(default_factory=list)
    dataplane: list[DataplaneGroup] = field(default_factory=list)
