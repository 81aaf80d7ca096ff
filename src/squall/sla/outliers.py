"""``outliers``: few iterations take much longer than the ones before them."""

from __future__ import annotations

import math
from typing import ClassVar, Self

from pydantic import BaseModel, Field

from squall.iteration import IterationResult
from squall.sla._config import CriterionConfig, expect, status
from squall.sla.base import SLA


class OutliersConfig(CriterionConfig):
    max: int = Field(default=0, ge=0, description="outliers allowed")
    min_iterations: int = Field(default=3, ge=3, description="successful iterations first")
    sigmas: float = Field(default=3.0, gt=0.0, description="standard deviations above mean")


class Outliers(SLA):
    """Limit the number of outliers (iterations that take too much time).

    Rally's streaming approximation, kept for comparable verdicts: a successful
    iteration is an outlier when it is at least the ``min_iterations``-th successful
    one and its duration exceeds mean + ``sigmas`` x std of the successful
    iterations before it. A merge adds the outliers each part found and joins the
    mean and deviation; it cannot re-judge iterations already seen.
    """

    name: ClassVar[str] = "outliers"
    Config: ClassVar[type[BaseModel]] = OutliersConfig

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        cfg = expect(config, OutliersConfig)
        self.max_outliers = cfg.max
        self.min_iterations = cfg.min_iterations
        self.sigmas = cfg.sigmas
        self.iterations = 0
        self.outliers = 0
        self.mean = 0.0
        self.dev_sum = 0.0  # sum of squared deviations (Welford)
        self.threshold: float | None = None

    def add(self, it: IterationResult) -> bool:
        if it.error is None:
            duration = it.duration
            self.iterations += 1
            threshold = self.threshold
            if self.iterations >= self.min_iterations and threshold and duration > threshold:
                self.outliers += 1
            previous = self.mean
            self.mean += (duration - previous) / self.iterations
            self.dev_sum += (duration - previous) * (duration - self.mean)
            self._update_threshold()
        self.success = self.outliers <= self.max_outliers
        return self.success

    def merge(self, other: Self) -> bool:
        count = self.iterations + other.iterations
        if other.iterations:
            delta = other.mean - self.mean
            self.dev_sum += (
                other.dev_sum + delta * delta * self.iterations * other.iterations / count
            )
            self.mean += delta * other.iterations / count
        self.iterations = count
        self.outliers += other.outliers
        self._update_threshold()
        self.success = self.outliers <= self.max_outliers
        return self.success

    @property
    def std(self) -> float | None:
        if self.iterations < 2:
            return None
        return math.sqrt(max(self.dev_sum, 0.0) / (self.iterations - 1))

    def _update_threshold(self) -> None:
        std = self.std
        if std is not None:
            self.threshold = self.mean + self.sigmas * std

    def details(self) -> str:
        return (
            f"Maximum number of outliers {self.outliers} <= {self.max_outliers}"
            f" - {status(self.success)}"
        )
