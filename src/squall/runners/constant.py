"""Closed loop: keep ``concurrency`` iterations in flight until ``times`` have started."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import Field, model_validator

from squall.runners.base import CountedSchedule, Runner, RunnerConfig, Schedule


class ConstantRunner(Runner):
    """Run ``times`` iterations keeping ``concurrency`` of them in flight (closed loop).

    Rally's ``constant``. ``max_cpu_count`` is accepted for compatibility; squall
    runs all iterations from one event loop.
    """

    name: ClassVar[str] = "constant"

    class Config(RunnerConfig):
        times: int = Field(1, ge=1, description="iterations to run")
        concurrency: int = Field(1, ge=1, description="iterations in flight at once")
        max_cpu_count: int | None = Field(None, ge=1, description="accepted, unused")

        @model_validator(mode="after")
        def _concurrency_within_times(self) -> Self:
            if self.concurrency > self.times:
                raise ValueError(
                    f"concurrency ({self.concurrency}) must not exceed times ({self.times})"
                )
            return self

    @property
    def workers(self) -> int:
        assert isinstance(self.config, ConstantRunner.Config)
        return self.config.concurrency

    def plan(self) -> Schedule:
        assert isinstance(self.config, ConstantRunner.Config)
        return CountedSchedule(self.config.times)
