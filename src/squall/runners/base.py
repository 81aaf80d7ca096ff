"""The runner family contract: a runner only decides *when* iteration i may start.

``Runner.plan()`` returns a fresh ``Schedule``. The executor asks it for the next
slot each time a worker is free; the schedule answers with the iteration number
(from 1) and the offset at which that iteration is *intended* to start, or ``None``
when no more iterations should start. Everything else (threads, timeouts, abort,
recording) belongs to the executor.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.plugins.base import Plugin
from squall.plugins.families import Family


@dataclass(frozen=True, slots=True)
class Slot:
    """Iteration ``number`` may start at ``not_before``; it was meant for ``scheduled``.

    ``not_before`` is later than ``scheduled`` only when an open-loop schedule is
    behind and spaces late iterations out instead of bursting them.
    """

    number: int
    scheduled: float
    not_before: float


class Schedule(ABC):
    """The state of one run of a runner's policy."""

    #: iterations the schedule will hand out, if known (for progress and ETA)
    expected_total: int | None = None
    #: seconds the load should last, if known
    expected_duration: float | None = None
    #: open-loop schedules start iterations on time whatever is in flight
    #: (bounded by the runner's ``workers``); closed-loop ones when a worker is free
    open_loop: bool = False

    @abstractmethod
    def next(self, now: float) -> Slot | None:
        """The next slot, given the current offset on the workload clock."""

    def target_rate(self, at: float) -> float | None:
        """The intended start rate at offset ``at`` (open-loop schedules only)."""
        return None


class RunnerConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timeout: float = Field(0, ge=0, description="per-iteration timeout in seconds; 0 = none")


class Runner(Plugin):
    """Base of every runner plugin."""

    family: ClassVar = Family.RUNNER
    Config: ClassVar[type[BaseModel]] = RunnerConfig

    def __init__(self, config: BaseModel) -> None:
        self.config = config

    @property
    @abstractmethod
    def workers(self) -> int:
        """How many iterations may be in flight at once."""

    @property
    def timeout(self) -> float | None:
        value = getattr(self.config, "timeout", 0)
        return float(value) if value else None

    @abstractmethod
    def plan(self) -> Schedule:
        """A fresh schedule for one run of this runner."""


class CountedSchedule(Schedule):
    """Closed loop: hand out ``times`` slots as soon as a worker asks."""

    def __init__(self, times: int) -> None:
        self.expected_total = times
        self._given = 0

    def next(self, now: float) -> Slot | None:
        if self._given >= self.expected_total:  # type: ignore[operator]
            return None
        self._given += 1
        return Slot(self._given, now, now)
