"""What one iteration produced: the record every layer after the runner speaks.

Field names follow Rally's iteration record where one exists (``duration``,
``timestamp``, ``idle_duration``, ``error``, ``output``, ``atomic_actions``) so that
exports stay readable by tools that parse Rally's JSON. squall adds what an honest
open-loop measurement needs: the *scheduled* start next to the actual one.

These are plain slotted dataclasses, not pydantic models: a million of them pass
through the engine in one workload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class AtomicAction:
    """One timed step inside an iteration; may hold nested steps.

    ``started_at`` / ``finished_at`` are wall-clock epoch seconds derived from a
    monotonic clock (differences between them are exact durations).
    """

    name: str
    started_at: float
    finished_at: float | None = None
    children: list[AtomicAction] = field(default_factory=list)
    failed: bool = False

    @property
    def duration(self) -> float | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at


@dataclass(slots=True, frozen=True)
class ErrorInfo:
    """Why an iteration failed: exception type name, message and traceback text."""

    type: str
    message: str
    traceback: str = ""


@dataclass(slots=True)
class OutputChart:
    """One chart of scenario output, in Rally's shape.

    ``additive`` charts get one row per iteration and are aggregated over the
    workload; ``complete`` charts are drawn per iteration as given.
    """

    title: str
    chart_plugin: str
    data: list[Any]
    description: str = ""
    label: str = ""
    axis_label: str = ""


@dataclass(slots=True)
class ScenarioOutput:
    additive: list[OutputChart] = field(default_factory=list)
    complete: list[OutputChart] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.additive or self.complete)


@dataclass(slots=True)
class IterationResult:
    """The record of one iteration.

    Offsets are seconds on the workload's monotonic clock, counted from the
    workload's load start; ``timestamp`` is the wall-clock time of the actual start.

    - ``scheduled_offset``: when the runner intended the iteration to start.
    - ``start_offset``: when it actually started.
    - ``duration``: how long the scenario ran, without ``idle_duration``
      (a timed-out iteration records the timeout, as Rally does).
    - ``latency``: from the intended start to the end, the figure open-loop load
      must report (no coordinated omission). Think time (``idle_duration``) is
      the scenario's own and is left out of both.
    """

    number: int
    scheduled_offset: float
    start_offset: float
    timestamp: float
    duration: float
    idle_duration: float = 0.0
    error: ErrorInfo | None = None
    atomic_actions: list[AtomicAction] = field(default_factory=list)
    output: ScenarioOutput = field(default_factory=ScenarioOutput)
    worker: int = 0

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def latency(self) -> float:
        return (self.start_offset - self.scheduled_offset) + self.duration

    @property
    def end_offset(self) -> float:
        return self.start_offset + self.duration + self.idle_duration
