"""``max_avg_duration``: the mean duration of successful iterations stays under a limit."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import BaseModel, Field

from squall.iteration import IterationResult
from squall.sla._config import CriterionConfig, expect, status
from squall.sla._mean import ExactMean
from squall.sla.base import SLA


class MaxAvgDurationConfig(CriterionConfig):
    max: float = Field(gt=0.0, description="seconds")


class MaxAvgDuration(SLA):
    """Maximum average duration of one iteration in seconds.

    Only successful iterations count; with none, the average is 0 and the criterion
    holds. Written as a bare number: ``max_avg_duration: 0.5``.
    """

    name: ClassVar[str] = "max_avg_duration"
    Config: ClassVar[type[BaseModel]] = MaxAvgDurationConfig
    scalar_field: ClassVar[str | None] = "max"

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        self.limit = expect(config, MaxAvgDurationConfig).max
        self.mean = ExactMean()

    @property
    def avg(self) -> float:
        return self.mean.value

    def add(self, it: IterationResult) -> bool:
        if it.error is None:
            self.mean.add(it.duration)
        self.success = self.mean.value <= self.limit
        return self.success

    def merge(self, other: Self) -> bool:
        self.mean.merge(other.mean)
        self.success = self.mean.value <= self.limit
        return self.success

    def details(self) -> str:
        return (
            f"Average duration of one iteration {self.avg:.2f}s <= {self.limit:.2f}s"
            f" - {status(self.success)}"
        )
