"""Contracts of the trigger and hook-action families."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel

from squall.plugins.base import Plugin
from squall.plugins.families import Family

if TYPE_CHECKING:
    from squall.disruptors.run import FaultEvent

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


def _drop(_: FaultEvent) -> None:
    return None


@dataclass(frozen=True, slots=True)
class HookEnv:
    """What a hook action knows of the run that fires it: its id, and where the fault
    events it causes go (the run's own record; nowhere when fired outside a run)."""

    run_id: str | None = None
    fault_events: Callable[[FaultEvent], None] = _drop


class HookAction(Plugin):
    """Something done when a trigger fires. ``run()`` blocks; it runs off the loop."""

    family: ClassVar = Family.HOOK

    def __init__(self, config: BaseModel, env: HookEnv | None = None) -> None:
        self.config = config
        self.env = env or HookEnv()

    @abstractmethod
    def run(self) -> HookOutcome:
        """Do the action once and say how it went; never raise for expected failures."""
