"""``failure_rate``: the share of failed iterations stays within [min, max] percent."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import BaseModel, Field, model_validator

from squall.iteration import IterationResult
from squall.sla._config import CriterionConfig, expect, status
from squall.sla.base import SLA


class FailureRateConfig(CriterionConfig):
    min: float = Field(default=0.0, ge=0.0, le=100.0, description="lowest failure percent")
    max: float = Field(default=100.0, ge=0.0, le=100.0, description="highest failure percent")

    @model_validator(mode="before")
    @classmethod
    def _at_least_one(cls, data: object) -> object:
        if isinstance(data, dict) and not data:
            raise ValueError("give at least one of 'min' and 'max'")
        return data


class FailureRate(SLA):
    """Failure rate minimum and maximum in percent, both inclusive.

    Every iteration counts; a failed one is one whose ``error`` is set. With no
    iterations the rate is 0 %.
    """

    name: ClassVar[str] = "failure_rate"
    Config: ClassVar[type[BaseModel]] = FailureRateConfig

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        cfg = expect(config, FailureRateConfig)
        self.min_percent = cfg.min
        self.max_percent = cfg.max
        self.total = 0
        self.errors = 0
        self.error_rate = 0.0

    def add(self, it: IterationResult) -> bool:
        self.total += 1
        if it.error is not None:
            self.errors += 1
        return self._check()

    def merge(self, other: Self) -> bool:
        self.total += other.total
        self.errors += other.errors
        return self._check()

    def _check(self) -> bool:
        if not self.total:
            return self.success  # nothing to judge yet (Rally: passes)
        self.error_rate = self.errors * 100.0 / self.total
        self.success = self.min_percent <= self.error_rate <= self.max_percent
        return self.success

    def details(self) -> str:
        return (
            f"Failure rate criteria {self.min_percent:.2f}% <= {self.error_rate:.2f}% "
            f"<= {self.max_percent:.2f}% - {status(self.success)}"
        )
