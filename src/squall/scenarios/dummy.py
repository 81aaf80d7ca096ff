"""Dummy scenarios: exercise the engine with no cloud (Rally's names and arguments).

They await instead of blocking, so they measure the engine, not a thread pool.
"""

from __future__ import annotations

import asyncio
import random
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.scenarios.base import AsyncScenario


class DummyScenarioException(Exception):
    """The expected failure of the Dummy scenarios."""


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Dummy(AsyncScenario):
    """Do nothing and sleep for the given number of seconds (0 by default).

    Times one nested pair of atomic actions, ``foo`` holding ``bar``, as Rally does.
    Used to measure runners and the store at scale.
    """

    name: ClassVar[str] = "Dummy.dummy"

    class Config(BaseModel):
        model_config = ConfigDict(extra="allow")  # Rally accepts and ignores **kwargs
        sleep: float = Field(0, ge=0, description="idle time of one iteration, seconds")

    async def run(self) -> None:
        assert isinstance(self.config, Dummy.Config)
        with self.atomics.action("foo"), self.atomics.action("bar"):
            if self.config.sleep:
                await asyncio.sleep(self.config.sleep)


class DummyFailure(AsyncScenario):
    """Sleep, then fail every ``each``-th iteration between two iteration numbers."""

    name: ClassVar[str] = "Dummy.failure"

    class Config(_Args):
        sleep: float = Field(0.1, ge=0)
        from_iteration: int = 0
        to_iteration: int = 0
        each: int = Field(1, ge=0)

    async def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, DummyFailure.Config)
        await asyncio.sleep(cfg.sleep)
        in_range = cfg.from_iteration <= self.iteration <= cfg.to_iteration
        if in_range and cfg.each and not self.iteration % cfg.each:
            raise DummyScenarioException("Expected failure")


class DummyException(AsyncScenario):
    """Sleep, then raise an exception (tests how failures are stored and shown)."""

    name: ClassVar[str] = "Dummy.dummy_exception"

    class Config(_Args):
        size_of_message: int = Field(1, ge=1)
        sleep: float = Field(1, ge=0)
        message: str = ""

    async def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, DummyException.Config)
        await asyncio.sleep(cfg.sleep)
        raise DummyScenarioException(cfg.message or "M" * cfg.size_of_message)


class DummyExceptionProbability(AsyncScenario):
    """Raise an exception with the given probability (0 never, 1 always)."""

    name: ClassVar[str] = "Dummy.dummy_exception_probability"

    class Config(_Args):
        exception_probability: float = Field(0.5, ge=0, le=1)

    async def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, DummyExceptionProbability.Config)
        if random.random() < cfg.exception_probability:
            raise DummyScenarioException(
                f"Dummy Scenario Exception: Probability: {cfg.exception_probability}"
            )


class DummyRandomFailInAtomic(AsyncScenario):
    """Fail at random inside nested atomic actions (tests failed-atomic handling)."""

    name: ClassVar[str] = "Dummy.dummy_random_fail_in_atomic"

    class Config(_Args):
        exception_probability: float = Field(0.5, ge=0, le=1)

    async def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, DummyRandomFailInAtomic.Config)
        p = cfg.exception_probability
        p = p if p == 1 else p / 4.0  # four places to fail
        for _ in range(2):
            with self.atomics.action("dummy_fail_test"):
                _roulette(p)
                with self.atomics.action("dummy_fail_inner_test"):
                    _roulette(p)


def _roulette(probability: float) -> None:
    if random.random() < probability:
        raise KeyError("Dummy test exception")


class DummyRandomAction(AsyncScenario):
    """Sleep a random time in each of ``actions_num`` atomic actions."""

    name: ClassVar[str] = "Dummy.dummy_random_action"

    class Config(_Args):
        actions_num: int = Field(5, ge=0)
        sleep_min: float = Field(0, ge=0)
        sleep_max: float = Field(0, ge=0)

    async def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, DummyRandomAction.Config)
        for idx in range(cfg.actions_num):
            with self.atomics.action(f"action_{idx}"):
                await asyncio.sleep(random.uniform(cfg.sleep_min, cfg.sleep_max))


class DummyTimedAtomicActions(AsyncScenario):
    """Run ``number_of_actions`` atomic actions; action i sleeps i * sleep_factor seconds."""

    name: ClassVar[str] = "Dummy.dummy_timed_atomic_actions"

    class Config(_Args):
        number_of_actions: int = Field(5, ge=0)
        sleep_factor: float = Field(1, ge=0)

    async def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, DummyTimedAtomicActions.Config)
        for idx in range(cfg.number_of_actions):
            with self.atomics.action(f"action_{idx}"):
                await asyncio.sleep(idx * cfg.sleep_factor)


def _pair(name: str, limit: int) -> list[object]:
    return [name, random.randint(1, limit)]


class DummyWithScenarioOutput(AsyncScenario):
    """Report random values as additive scenario output (one StackedArea chart)."""

    name: ClassVar[str] = "Dummy.dummy_with_scenario_output"

    class Config(_Args):
        random_range: int = Field(25, ge=1)

    async def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, DummyWithScenarioOutput.Config)
        self.add_output(
            additive={
                "title": "Dummy scenario output",
                "chart_plugin": "StackedArea",
                "data": [_pair("value_1", cfg.random_range), _pair("value_2", cfg.random_range)],
            }
        )


class DummyOutput(AsyncScenario):
    """Generate one chart of every kind (additive and complete) as scenario output."""

    name: ClassVar[str] = "Dummy.dummy_output"

    class Config(_Args):
        random_range: int = Field(25, ge=1)

    async def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, DummyOutput.Config)
        r = cfg.random_range
        self.add_output(
            additive={
                "title": "Additive StatsTable",
                "chart_plugin": "StatsTable",
                "data": [_pair(n, r) for n in ("foo stat", "bar stat", "spam stat")],
            }
        )
        self.add_output(
            additive={
                "title": "Additive Lines",
                "chart_plugin": "Lines",
                "data": [_pair(f"bar {i}", r) for i in range(1, 4)],
                "label": "Measure this in Bar units",
            },
            complete={
                "title": "Complete Lines",
                "chart_plugin": "Lines",
                "data": [[n, [_pair(str(i), r) for i in range(1, 8)]] for n in ("Foo", "Bar")],
                "axis_label": "This is a custom X-axis label",
            },
        )
        self.add_output(
            complete={
                "title": "Complete Table",
                "chart_plugin": "Table",
                "data": {
                    "cols": ["name", "a", "b"],
                    "rows": [
                        [f"{n} row", random.randint(1, r), random.randint(1, r)]
                        for n in ("iota", "nu")
                    ],
                },
            }
        )
