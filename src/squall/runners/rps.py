"""Open loop: start iterations at a target rate, whatever the cloud answers."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from squall.runners.base import Runner, RunnerConfig, Schedule, Slot

#: While behind schedule, late iterations start at most this many times faster
#: than the target rate: a stall is recovered smoothly, never with a burst.
CATCH_UP_FACTOR = 2.0
#: How late a worker may ask for its slot before the schedule counts it as a stall
#: (epoll wakes the loop with millisecond granularity).
TIMER_SLACK = 0.002


class Ramp(BaseModel):
    """Start at ``start`` it/s, add ``step`` every ``duration`` seconds, hold at ``end``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: float = Field(ge=1)
    end: float = Field(ge=1)
    step: float = Field(ge=1)
    duration: float = Field(1, ge=1)

    @model_validator(mode="after")
    def _end_after_start(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) must be ≥ start ({self.start})")
        return self

    def rate(self, at: float) -> float:
        return min(self.start + self.step * math.floor(at / self.duration), self.end)


class _RateSchedule(Schedule):
    """Intended starts on a fixed grid; late ones spaced by ``CATCH_UP_FACTOR``."""

    open_loop = True

    def __init__(self, times: int, rate: float | Ramp) -> None:
        self.expected_total = times
        self._rate = rate
        self._given = 0
        self._last_not_before = -math.inf
        # The grid is computed per constant-rate segment (t0 + k / rate), so it
        # does not drift with accumulated floating-point error.
        self._segment = (0.0, 0, self.target_rate(0.0))  # (start time, first index, rate)
        self.expected_duration = self._grid_end()

    def target_rate(self, at: float) -> float:
        return self._rate.rate(at) if isinstance(self._rate, Ramp) else self._rate

    def _grid_end(self) -> float:
        segment = self._segment
        at = 0.0
        for index in range(max(self.expected_total or 0, 1)):
            at, segment = _grid_point(index, segment, self.target_rate)
        return at

    def next(self, now: float) -> Slot | None:
        if self._given >= (self.expected_total or 0):
            return None
        scheduled, self._segment = _grid_point(self._given, self._segment, self.target_rate)
        self._given += 1
        rate = self._segment[2]
        not_before = max(scheduled, self._last_not_before + 1.0 / (rate * CATCH_UP_FACTOR))
        # Lateness within the event loop's timer granularity is not a stall: those
        # slots keep their grid time (started together on the next wake-up). Past
        # it, spacing restarts from now, so a backlog is worked off gradually.
        self._last_not_before = max(not_before, now - TIMER_SLACK)
        return Slot(self._given, scheduled, not_before)


_Segment = tuple[float, int, float]


def _grid_point(
    index: int, segment: _Segment, rate_at: Callable[[float], float]
) -> tuple[float, _Segment]:
    """The intended start of iteration ``index`` (from 0), opening a new segment
    when the rate changes at that point."""
    t0, first, rate = segment
    at = t0 + (index - first) / rate
    new_rate = rate_at(at + 1e-9)
    if new_rate != rate:
        segment = (at, index, new_rate)
    return at, segment


class RPSRunner(Runner):
    """Start ``times`` iterations at ``rps`` per second (open loop), or along a ramp.

    Every iteration's intended start is recorded and latency is measured from it,
    so a slow cloud shows up as latency instead of silently lowering the load.
    The ramp is global (not per process, unlike Rally). When the schedule is behind
    (the cloud is slow or ``max_concurrency`` is reached) late iterations are spaced
    at no more than twice the target rate: it never bursts to catch up.
    """

    name: ClassVar[str] = "rps"

    class Config(RunnerConfig):
        times: int = Field(ge=1, description="iterations to start")
        rps: float | Ramp = Field(description="iterations per second, or a ramp")
        max_concurrency: int | None = Field(
            None, ge=1, description="iterations in flight at most (default: times)"
        )
        max_cpu_count: int | None = Field(None, ge=1, description="accepted, unused")

        @model_validator(mode="after")
        def _positive_rate(self) -> Self:
            if isinstance(self.rps, float | int) and self.rps <= 0:
                raise ValueError("rps must be > 0")
            return self

    @property
    def workers(self) -> int:
        assert isinstance(self.config, RPSRunner.Config)
        return self.config.max_concurrency or self.config.times

    def plan(self) -> Schedule:
        assert isinstance(self.config, RPSRunner.Config)
        return _RateSchedule(self.config.times, self.config.rps)
