"""Fire at listed iterations or seconds."""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from squall.hooks.base import EventType, Trigger


class EventTrigger(Trigger):
    """Fire once at each value of ``at``: iteration numbers (≥ 1) or seconds (≥ 0)
    since the first iteration started."""

    name: ClassVar[str] = "event"

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        unit: Literal["time", "iteration"]
        at: list[int] = Field(min_length=1)

        @model_validator(mode="after")
        def _valid_points(self) -> Self:
            if len(set(self.at)) != len(self.at):
                raise ValueError("`at` values must be unique")
            low = 1 if self.unit == "iteration" else 0
            if min(self.at) < low:
                raise ValueError(f"`at` values must be ≥ {low} for unit {self.unit!r}")
            return self

    @property
    def _cfg(self) -> EventTrigger.Config:
        assert isinstance(self.config, EventTrigger.Config)
        return self.config

    @property
    def unit(self) -> EventType:
        return self._cfg.unit

    def fires_at(self, value: int) -> bool:
        return value in self._cfg.at

    def last_value(self) -> int | None:
        return max(self._cfg.at)
