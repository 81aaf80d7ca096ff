"""``min_rate``: the load achieved at least this many iterations per second."""

from __future__ import annotations

import math
from typing import ClassVar, Self

from pydantic import BaseModel, Field

from squall.iteration import IterationResult
from squall.sla._config import CriterionConfig, expect, status
from squall.sla.base import SLA


class MinRateConfig(CriterionConfig):
    rate: float = Field(gt=0.0, description="iterations per second")
    successful_only: bool = Field(default=False, description="count successful iterations only")


class MinRate(SLA):
    """Minimum achieved rate in iterations per second over the load duration.

    The rate is the number of iterations (or successful ones) divided by the time
    from the first iteration's start to the last one's end (idle time included).
    A rate is only known once the load has ended, so ``add()`` never asks for an
    abort; the verdict is in ``result()``. No iteration at all means a rate of 0.
    Written as a bare number: ``min_rate: 100``.
    """

    name: ClassVar[str] = "min_rate"
    Config: ClassVar[type[BaseModel]] = MinRateConfig
    scalar_field: ClassVar[str | None] = "rate"

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        cfg = expect(config, MinRateConfig)
        self.min_rate = cfg.rate
        self.successful_only = cfg.successful_only
        self.count = 0
        self.first_start = math.inf
        self.last_end = -math.inf
        self.success = False

    @property
    def span(self) -> float:
        if math.isinf(self.first_start):
            return 0.0  # no iteration seen
        return max(self.last_end - self.first_start, 0.0)

    @property
    def rate(self) -> float:
        if not self.count:
            return 0.0
        span = self.span
        return self.count / span if span > 0.0 else math.inf

    def add(self, it: IterationResult) -> bool:
        if it.start_offset < self.first_start:
            self.first_start = it.start_offset
        end = it.end_offset
        if end > self.last_end:
            self.last_end = end
        if it.error is None or not self.successful_only:
            self.count += 1
        self.success = self.rate >= self.min_rate
        return True

    def merge(self, other: Self) -> bool:
        self.count += other.count
        self.first_start = min(self.first_start, other.first_start)
        self.last_end = max(self.last_end, other.last_end)
        self.success = self.rate >= self.min_rate
        return True

    def details(self) -> str:
        what = "successful iterations" if self.successful_only else "iterations"
        return (
            f"Achieved rate {self.rate:.2f} {what}/s >= {self.min_rate:.2f}/s over "
            f"{self.span:.2f}s - {status(self.success)}"
        )
