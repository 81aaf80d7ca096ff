"""One iteration after another."""

from __future__ import annotations

from typing import ClassVar

from pydantic import ConfigDict, Field

from squall.runners.base import CountedSchedule, Runner, RunnerConfig, Schedule


class SerialRunner(Runner):
    """Run ``times`` iterations one after another (Rally's ``serial``).

    Unknown keys are accepted, as in Rally, so a task can switch runner type
    without deleting the other runner's arguments.
    """

    name: ClassVar[str] = "serial"

    class Config(RunnerConfig):
        model_config = ConfigDict(extra="allow")
        times: int = Field(1, ge=1, description="iterations to run")

    @property
    def workers(self) -> int:
        return 1

    def plan(self) -> Schedule:
        assert isinstance(self.config, SerialRunner.Config)
        return CountedSchedule(self.config.times)
