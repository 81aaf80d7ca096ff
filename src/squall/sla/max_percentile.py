"""``max_percentile``: percentiles of iteration or atomic-action durations under limits.

::

    max_percentile:
      p95: 0.5              # 95th percentile of successful iterations' duration
      p99: 1.0
      atomic:
        nova.boot_server: {p50: 4, p95: 10}

Keys are ``p`` + a percent (``p50``, ``p99.9``, ``p100``). Percentiles are exact
(linear interpolation at (n-1)p, as in the summary table), over successful
iterations; an atomic action counts at top level, one sample per run, as in
``max_avg_duration_per_atomic``. With no samples a limit holds.

The verdict after each iteration costs O(1): ``p <= limit`` is decided from how many
samples are at or below the limit and the two samples that straddle it, which give
the same interpolation the percentile itself uses. The values are still kept (8
bytes each) so ``details()`` can print the percentiles.
"""

from __future__ import annotations

from array import array
from typing import Annotated, ClassVar, Self

from pydantic import BaseModel, Field, PositiveFloat, StringConstraints, model_validator

from squall.iteration import IterationResult
from squall.sla._config import CriterionConfig, expect, status
from squall.sla.base import SLA
from squall.stats.percentile import interpolate, percentile, rank

PercentileKey = Annotated[str, StringConstraints(pattern=r"^p(100|\d{1,2}(\.\d+)?)$")]
Limits = dict[PercentileKey, PositiveFloat]


class MaxPercentileConfig(CriterionConfig):
    """Top-level ``pNN`` keys limit the whole iteration; ``atomic`` limits actions."""

    total: Limits = Field(default_factory=dict)
    atomic: dict[str, Limits] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _gather_total(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        rest = {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("p"))}
        total = {k: v for k, v in data.items() if k not in rest}
        if total:
            rest["total"] = {**rest.get("total", {}), **total}
        return rest

    @model_validator(mode="after")
    def _some_limit(self) -> Self:
        if not self.total and not any(self.atomic.values()):
            raise ValueError("give at least one percentile limit, e.g. {p95: 0.5}")
        return self


class _Limit:
    """One ``pNN <= seconds`` over one series, decided from counts."""

    __slots__ = ("at_or_below", "fraction", "key", "limit", "max_below", "min_above")

    def __init__(self, key: str, limit: float) -> None:
        self.key = key
        self.fraction = float(key[1:]) / 100.0
        self.limit = limit
        self.at_or_below = 0
        self.max_below = float("-inf")  # largest sample <= limit
        self.min_above = float("inf")  # smallest sample > limit

    def add(self, value: float) -> None:
        if value <= self.limit:
            self.at_or_below += 1
            if value > self.max_below:
                self.max_below = value
        elif value < self.min_above:
            self.min_above = value

    def merge(self, other: _Limit) -> None:
        self.at_or_below += other.at_or_below
        self.max_below = max(self.max_below, other.max_below)
        self.min_above = min(self.min_above, other.min_above)

    def holds(self, count: int) -> bool:
        if count == 0:
            return True
        low, high, fraction = rank(count, self.fraction)
        if self.at_or_below > high:
            return True
        if self.at_or_below <= low:
            return False
        return interpolate(self.max_below, self.min_above, fraction) <= self.limit


class _Series:
    __slots__ = ("label", "limits", "values")

    def __init__(self, label: str, limits: dict[str, float]) -> None:
        self.label = label
        self.values = array("d")
        self.limits = [_Limit(key, seconds) for key, seconds in limits.items()]

    def add(self, value: float) -> None:
        self.values.append(value)
        for limit in self.limits:
            limit.add(value)

    def merge(self, other: _Series) -> None:
        self.values.extend(other.values)
        for mine, theirs in zip(self.limits, other.limits, strict=True):
            mine.merge(theirs)

    def holds(self) -> bool:
        count = len(self.values)
        return all(limit.holds(count) for limit in self.limits)

    def detail_lines(self) -> list[str]:
        ordered = sorted(self.values)
        lines = []
        for limit in self.limits:
            value = percentile(ordered, limit.fraction)
            shown = "n/a" if value is None else f"{value:.3f}s"
            lines.append(f"{self.label} {limit.key}: {shown} <= {limit.limit:.3f}s")
        return lines


class MaxPercentile(SLA):
    """Maximum percentiles of iteration durations, or of atomic actions, in seconds."""

    name: ClassVar[str] = "max_percentile"
    Config: ClassVar[type[BaseModel]] = MaxPercentileConfig

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        cfg = expect(config, MaxPercentileConfig)
        self.total = _Series("Iteration", cfg.total) if cfg.total else None
        self.atomics = {
            name: _Series(f"Action '{name}'", limits)
            for name, limits in cfg.atomic.items()
            if limits
        }

    def add(self, it: IterationResult) -> bool:
        if it.error is None:
            if self.total is not None:
                self.total.add(it.duration)
            if self.atomics:
                self._add_atomics(it)
        return self._check()

    def _add_atomics(self, it: IterationResult) -> None:
        atomics = self.atomics
        for action in it.atomic_actions:
            series = atomics.get(action.name)
            if series is not None:
                finished = action.finished_at
                series.add(0.0 if finished is None else finished - action.started_at)

    def merge(self, other: Self) -> bool:
        if self.total is not None and other.total is not None:
            self.total.merge(other.total)
        for name, series in self.atomics.items():
            series.merge(other.atomics[name])
        return self._check()

    def _series(self) -> list[_Series]:
        head = [self.total] if self.total is not None else []
        return head + list(self.atomics.values())

    def _check(self) -> bool:
        self.success = all(series.holds() for series in self._series())
        return self.success

    def details(self) -> str:
        lines = ["Percentiles of successful iterations:"]
        for series in self._series():
            lines += series.detail_lines()
        lines.append(f"Status: {status(self.success)}")
        return "\n".join(lines)
