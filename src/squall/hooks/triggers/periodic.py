"""Fire every ``step`` iterations or seconds."""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from squall.hooks.base import EventType, Trigger


class PeriodicTrigger(Trigger):
    """Fire at ``start``, ``start + step``, ... up to ``end`` (inclusive).

    ``start`` defaults to 0 for time and 1 for iterations, ``end`` to no end.
    """

    name: ClassVar[str] = "periodic"

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        unit: Literal["time", "iteration"]
        step: int = Field(ge=1)
        start: int | None = Field(None, ge=0)
        end: int | None = Field(None, ge=1)

        @model_validator(mode="after")
        def _valid_range(self) -> Self:
            if self.unit == "iteration" and self.start == 0:
                raise ValueError("`start` must be ≥ 1 for unit 'iteration'")
            if self.end is not None and self.end < self.first:
                raise ValueError(f"`end` ({self.end}) must be ≥ `start` ({self.first})")
            return self

        @property
        def first(self) -> int:
            if self.start is not None:
                return self.start
            return 1 if self.unit == "iteration" else 0

    @property
    def _cfg(self) -> PeriodicTrigger.Config:
        assert isinstance(self.config, PeriodicTrigger.Config)
        return self.config

    @property
    def unit(self) -> EventType:
        return self._cfg.unit

    def fires_at(self, value: int) -> bool:
        cfg = self._cfg
        if value < cfg.first or (cfg.end is not None and value > cfg.end):
            return False
        return (value - cfg.first) % cfg.step == 0

    def last_value(self) -> int | None:
        return self._cfg.end
