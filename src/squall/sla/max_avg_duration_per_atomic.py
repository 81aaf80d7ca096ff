"""``max_avg_duration_per_atomic``: per named atomic action, a maximum mean duration."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import BaseModel, Field, PositiveFloat, RootModel

from squall.iteration import IterationResult
from squall.sla._config import expect, status
from squall.sla._mean import ExactMean
from squall.sla.base import SLA


class PerAtomicConfig(RootModel[dict[str, PositiveFloat]]):
    """``{atomic action name: seconds}``, at least one."""

    root: dict[str, PositiveFloat] = Field(min_length=1)


class MaxAvgDurationPerAtomic(SLA):
    """Maximum average duration of the named atomic actions in seconds.

    Only successful iterations and top-level actions count (nested ones are
    ignored); an action run several times in one iteration adds one sample per
    run. An action never seen has an average of 0, so its limit holds.
    """

    name: ClassVar[str] = "max_avg_duration_per_atomic"
    Config: ClassVar[type[BaseModel]] = PerAtomicConfig

    def __init__(self, config: BaseModel) -> None:
        super().__init__(config)
        self.limits = dict(expect(config, PerAtomicConfig).root)
        self.means = {name: ExactMean() for name in self.limits}

    def add(self, it: IterationResult) -> bool:
        if it.error is None:
            means = self.means
            for action in it.atomic_actions:
                mean = means.get(action.name)
                if mean is not None:
                    finished = action.finished_at
                    mean.add(0.0 if finished is None else finished - action.started_at)
        return self._check()

    def merge(self, other: Self) -> bool:
        for name, mean in self.means.items():
            mean.merge(other.means[name])
        return self._check()

    def avg(self, name: str) -> float:
        return self.means[name].value

    def _check(self) -> bool:
        means = self.means
        self.success = all(means[name].value <= limit for name, limit in self.limits.items())
        return self.success

    def details(self) -> str:
        lines = ["Average duration of one iteration for atomic actions:"]
        lines += [
            f"Action: '{name}'. {self.avg(name):.2f}s <= {limit:.2f}s"
            for name, limit in self.limits.items()
        ]
        lines.append(f"Status: {status(self.success)}")
        return "\n".join(lines)
