"""``performance_degradation``: the slowest successful iteration vs the fastest."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import BaseModel, Field

from squall.iteration import IterationResult
from squall.sla._config import CriterionConfig, expect, status
from squall.sla.base import SLA


class DegradationConfig(CriterionConfig):
    max_degradation: float = Field(ge=0.0, description="percent")


class PerformanceDegradation(SLA):
    """Performance degradation of iteration time, in percent.

    Over successful iterations, taking the fastest as 100 %:
    ``(max / min - 1) x 100``. Durations that are not positive cannot be a base and
    are left out (Rally fails the whole task on them). With fewer than one
    positive duration the degradation is 0.
    """

    name: ClassVar[str] = "performance_degradation"
    Config: ClassVar[type[BaseModel]] = DegradationConfig

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        self.max_degradation = expect(config, DegradationConfig).max_degradation
        self.min_duration: float | None = None
        self.max_duration: float | None = None

    @property
    def degradation(self) -> float:
        if self.min_duration is None or self.max_duration is None:
            return 0.0
        return (self.max_duration / self.min_duration - 1.0) * 100.0

    def add(self, it: IterationResult) -> bool:
        duration = it.duration
        if it.error is None and duration > 0.0:
            if self.min_duration is None or duration < self.min_duration:
                self.min_duration = duration
            if self.max_duration is None or duration > self.max_duration:
                self.max_duration = duration
        return self._check()

    def merge(self, other: Self) -> bool:
        if other.min_duration is not None and (
            self.min_duration is None or other.min_duration < self.min_duration
        ):
            self.min_duration = other.min_duration
        if other.max_duration is not None and (
            self.max_duration is None or other.max_duration > self.max_duration
        ):
            self.max_duration = other.max_duration
        return self._check()

    def _check(self) -> bool:
        self.success = self.degradation <= self.max_degradation
        return self.success

    def details(self) -> str:
        return f"Current degradation: {_format_float(self.degradation)}% - {status(self.success)}"


def _format_float(value: float) -> str:
    """As Rally writes it: six decimals without trailing zeros, at least one kept."""
    whole, _, fraction = f"{value:f}".partition(".")
    return f"{whole}.{fraction.rstrip('0') or '0'}"
