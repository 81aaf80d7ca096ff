"""``max_downtime``: the longest outage seen by the iterations stays under a limit.

An outage is a downtime window of the workload's own iterations, ordered by start:
from the first failed iteration to the first sustained success
(``squall.stats.downtime``). Meant for availability probes run during faults
(``Authenticate.keystone`` at a steady rate while keystone is killed).
"""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import BaseModel, Field

from squall.iteration import IterationResult
from squall.sla._config import CriterionConfig, expect, status
from squall.sla.base import SLA, SLAResult
from squall.stats.downtime import Point, downtime_windows, longest_downtime

#: while iterations stream in, the verdict is recomputed on failures and every this many
RECHECK = 64


class MaxDowntimeConfig(CriterionConfig):
    max: float = Field(ge=0, description="longest outage allowed, seconds")
    sustain: int = Field(2, ge=1, description="successes in a row that end an outage")


class MaxDowntime(SLA):
    """Longest outage of the iterations (first failure to first sustained success),
    in seconds, at most ``max``; an outage still open at the end counts up to the
    last iteration's start."""

    name: ClassVar[str] = "max_downtime"
    Config: ClassVar[type[BaseModel]] = MaxDowntimeConfig
    scalar_field: ClassVar[str | None] = "max"

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        cfg = expect(config, MaxDowntimeConfig)
        self.limit = cfg.max
        self.sustain = cfg.sustain
        self.points: list[Point] = []
        self.longest = 0.0

    def add(self, it: IterationResult) -> bool:
        self.points.append(Point(it.start_offset, it.error is None))
        if it.error is not None or len(self.points) % RECHECK == 0:
            return self._check()
        return self.success

    def merge(self, other: Self) -> bool:
        self.points += other.points
        return self._check()

    def _check(self) -> bool:
        last = max((p.t for p in self.points), default=None)
        windows = downtime_windows(self.points, sustain=self.sustain)
        self.longest = longest_downtime(windows, last)
        self.success = self.longest <= self.limit
        return self.success

    def result(self) -> SLAResult:
        self._check()  # exact, whatever the streaming rechecks last saw
        return super().result()

    def details(self) -> str:
        return f"Longest downtime {self.longest:.2f}s <= {self.limit:.2f}s - {status(self.success)}"
