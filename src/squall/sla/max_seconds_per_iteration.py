"""``max_seconds_per_iteration``: no iteration, failed or not, lasts longer than this."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import BaseModel, Field

from squall.iteration import IterationResult
from squall.sla._config import CriterionConfig, expect, status
from squall.sla.base import SLA


class MaxSecondsConfig(CriterionConfig):
    max: float = Field(gt=0.0, description="seconds")


class MaxSecondsPerIteration(SLA):
    """Maximum time for one iteration in seconds.

    Counts every iteration, failed ones included (a timed-out iteration lasts its
    timeout). Written as a bare number: ``max_seconds_per_iteration: 1.5``.
    """

    name: ClassVar[str] = "max_seconds_per_iteration"
    Config: ClassVar[type[BaseModel]] = MaxSecondsConfig
    scalar_field: ClassVar[str | None] = "max"

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        self.limit = expect(config, MaxSecondsConfig).max
        self.max_iteration_time = 0.0

    def add(self, it: IterationResult) -> bool:
        if it.duration > self.max_iteration_time:
            self.max_iteration_time = it.duration
        self.success = self.max_iteration_time <= self.limit
        return self.success

    def merge(self, other: Self) -> bool:
        if other.max_iteration_time > self.max_iteration_time:
            self.max_iteration_time = other.max_iteration_time
        self.success = self.max_iteration_time <= self.limit
        return self.success

    def details(self) -> str:
        return (
            f"Maximum seconds per iteration {self.max_iteration_time:.2f}s <= "
            f"{self.limit:.2f}s - {status(self.success)}"
        )
