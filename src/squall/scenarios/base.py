"""The scenario family contract: one iteration of user-visible work.

A scenario class is instantiated once per iteration with its validated ``config``,
the workload's ``context`` and the iteration number. Blocking scenarios implement
``run()`` and are executed on the executor's bounded thread pool; scenarios that
can await implement ``async run()`` by deriving from ``AsyncScenario`` and run on
the event loop.
"""

from __future__ import annotations

import random
import time
from abc import abstractmethod
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel

from squall.iteration import OutputChart, ScenarioOutput
from squall.plugins.base import Plugin
from squall.plugins.families import Family
from squall.scenarios.atomic import AtomicRecorder

T = TypeVar("T")


class ScenarioContext:
    """What contexts prepared for a workload, shared read-only by its iterations.

    Contexts store typed objects keyed by their class: ``ctx.put(users)``,
    ``ctx.require(Users)``.
    """

    def __init__(self, run_id: str = "", workload_name: str = "") -> None:
        self.run_id = run_id
        self.workload_name = workload_name
        self._items: dict[type, object] = {}

    def put(self, item: object) -> None:
        self._items[type(item)] = item

    def get(self, kind: type[T]) -> T | None:
        item = self._items.get(kind)
        return item if isinstance(item, kind) else None

    def require(self, kind: type[T]) -> T:
        item = self.get(kind)
        if item is None:
            from squall.errors import ConfigError

            raise ConfigError(
                f"this scenario needs the context that provides {kind.__name__}",
                hint="add the matching context to the workload's `contexts`",
            )
        return item


class ScenarioBase(Plugin):
    family: ClassVar = Family.SCENARIO
    #: True for scenarios whose ``run`` is a coroutine
    is_async: ClassVar[bool] = False
    #: polling intervals or clock steps (seconds) that quantise this scenario's figures
    quantisation: ClassVar[dict[str, float]] = {}

    __slots__ = ("atomics", "config", "context", "idle_duration", "iteration", "output")

    def __init__(
        self,
        config: BaseModel,
        context: ScenarioContext,
        iteration: int,
        atomics: AtomicRecorder,
    ) -> None:
        self.config = config
        self.context = context
        self.iteration = iteration
        self.atomics = atomics
        self.output = ScenarioOutput()
        self.idle_duration = 0.0

    @classmethod
    def quantisation_for(cls, config: BaseModel) -> dict[str, float]:
        """What quantises this workload's figures, reported with its results; scenarios
        whose poll settings are workload arguments override this."""
        return dict(cls.quantisation)

    def add_output(
        self, *, additive: dict[str, Any] | None = None, complete: dict[str, Any] | None = None
    ) -> None:
        """Add a chart in Rally's shape: ``{title, chart_plugin, data, description, label,
        axis_label}``; additive charts are aggregated across iterations."""
        for raw, target in ((additive, self.output.additive), (complete, self.output.complete)):
            if raw is not None:
                target.append(OutputChart(**raw))

    def _think_time(self, min_sleep: float, max_sleep: float) -> float:
        delay = random.uniform(min_sleep, max_sleep)
        self.idle_duration += delay
        return delay


class Scenario(ScenarioBase):
    """A scenario whose iteration blocks (openstacksdk calls, subprocesses)."""

    @abstractmethod
    def run(self) -> None:
        """Do one iteration; raise to fail it."""

    def sleep_between(self, min_sleep: float, max_sleep: float) -> None:
        """Think time: sleeps, and counts as idle, not as duration."""
        time.sleep(self._think_time(min_sleep, max_sleep))


class AsyncScenario(ScenarioBase):
    """A scenario whose iteration awaits; it runs on the event loop."""

    is_async: ClassVar[bool] = True

    @abstractmethod
    async def run(self) -> None:
        """Do one iteration; raise to fail it."""

    async def sleep_between(self, min_sleep: float, max_sleep: float) -> None:
        import asyncio

        await asyncio.sleep(self._think_time(min_sleep, max_sleep))
