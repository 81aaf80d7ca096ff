"""Contracts of the trigger and hook-action families."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel

from squall.plugins.base import Plugin
from squall.plugins.families import Family

EventType = Literal["time", "iteration"]


class Trigger(Plugin):
    """Decides at which events (iteration starts, whole seconds) a hook fires.

    ``iteration`` events carry the number (from 1) of the iteration that starts;
    ``time`` events the whole seconds elapsed since the first iteration started.
    """

    family: ClassVar = Family.TRIGGER

    def __init__(self, config: BaseModel) -> None:
        self.config = config

    @property
    @abstractmethod
    def unit(self) -> EventType:
        """The kind of event this trigger listens to."""

    @abstractmethod
    def fires_at(self, value: int) -> bool:
        """Whether the hook fires at event ``value`` of this trigger's unit."""

    def last_value(self) -> int | None:
        """The last event value at which it can fire, if bounded (to stop the clock)."""
        return None


@dataclass(frozen=True, slots=True)
class HookOutcome:
    """What one firing of a hook action produced (Rally's shape)."""

    status: Literal["success", "failed"]
    error: dict[str, str] | None = None
    output: dict[str, Any] | None = None


class HookAction(Plugin):
    """Something done when a trigger fires. ``run()`` blocks; it runs off the loop."""

    family: ClassVar = Family.HOOK

    def __init__(self, config: BaseModel) -> None:
        self.config = config

    @abstractmethod
    def run(self) -> HookOutcome:
        """Do the action once and say how it went; never raise for expected failures."""
