"""Closed loop for a fixed time."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from squall.runners.base import Runner, RunnerConfig, Schedule, Slot


class _DurationSchedule(Schedule):
    def __init__(self, duration: float, concurrency: int) -> None:
        self.expected_duration = duration
        self._concurrency = concurrency
        self._given = 0

    def next(self, now: float) -> Slot | None:
        # New iterations start only while time remains; with duration 0 every
        # worker still runs once ("once per parallel execution", as in Rally).
        if now >= self.expected_duration and self._given >= self._concurrency:  # type: ignore[operator]
            return None
        self._given += 1
        return Slot(self._given, now, now)


class ConstantForDurationRunner(Runner):
    """Keep ``concurrency`` iterations in flight for ``duration`` seconds (closed loop).

    Iterations already running when time is up are allowed to finish.
    """

    name: ClassVar[str] = "constant_for_duration"

    class Config(RunnerConfig):
        duration: float = Field(ge=0, description="seconds during which iterations start")
        concurrency: int = Field(1, ge=1, description="iterations in flight at once")
        timeout: float = Field(600, ge=1, description="per-iteration timeout in seconds")

    @property
    def workers(self) -> int:
        assert isinstance(self.config, ConstantForDurationRunner.Config)
        return self.config.concurrency

    def plan(self) -> Schedule:
        assert isinstance(self.config, ConstantForDurationRunner.Config)
        return _DurationSchedule(self.config.duration, self.config.concurrency)
