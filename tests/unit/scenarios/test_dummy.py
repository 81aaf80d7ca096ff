"""Dummy scenarios behave as Rally's do (names, arguments, failures, output)."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import ValidationError

from squall.scenarios.atomic import AtomicRecorder
from squall.scenarios.base import ScenarioContext
from squall.scenarios.dummy import (
    Dummy,
    DummyException,
    DummyExceptionProbability,
    DummyFailure,
    DummyOutput,
    DummyRandomFailInAtomic,
    DummyScenarioException,
    DummyTimedAtomicActions,
)


def play(cls, args=None, iteration=1):
    scenario = cls(cls.parse_config(args or {}), ScenarioContext(), iteration, AtomicRecorder(0.0))
    asyncio.run(scenario.run())
    return scenario


def test_dummy_times_foo_holding_bar_and_accepts_unknown_args():
    scenario = play(Dummy, {"sleep": 0, "anything": 1})
    (foo,) = scenario.atomics.actions
    assert foo.name == "foo" and [c.name for c in foo.children] == ["bar"]


def test_dummy_rejects_negative_sleep():
    with pytest.raises(ValidationError):
        Dummy.parse_config({"sleep": -1})


def test_dummy_exception_message_defaults_to_size():
    with pytest.raises(DummyScenarioException, match=r"^MMMM$"):
        play(DummyException, {"sleep": 0, "size_of_message": 4})


def test_exception_probability_bounds():
    play(DummyExceptionProbability, {"exception_probability": 0})
    with pytest.raises(DummyScenarioException):
        play(DummyExceptionProbability, {"exception_probability": 1})
    with pytest.raises(ValidationError):
        DummyExceptionProbability.parse_config({"exception_probability": 1.5})


def test_failure_fails_every_nth_iteration_in_range():
    args = {"sleep": 0, "from_iteration": 2, "to_iteration": 6, "each": 2}
    failed = []
    for i in range(1, 9):
        try:
            play(DummyFailure, args, iteration=i)
        except DummyScenarioException:
            failed.append(i)
    assert failed == [2, 4, 6]


def test_random_fail_in_atomic_marks_the_failed_action():
    with pytest.raises(KeyError):
        play(DummyRandomFailInAtomic, {"exception_probability": 1})


def test_timed_atomic_actions_are_named_by_index():
    scenario = play(DummyTimedAtomicActions, {"number_of_actions": 3, "sleep_factor": 0})
    assert [a.name for a in scenario.atomics.actions] == ["action_0", "action_1", "action_2"]


def test_output_gives_additive_and_complete_charts():
    scenario = play(DummyOutput)
    assert {c.chart_plugin for c in scenario.output.additive} == {"StatsTable", "Lines"}
    assert {c.chart_plugin for c in scenario.output.complete} == {"Lines", "Table"}
