"""Python.test turns an execution into atomic actions and the iteration's error."""

from __future__ import annotations

import pytest

from squall.scenarios.atomic import AtomicRecorder
from squall.scenarios.base import ScenarioContext
from squall.scenarios.python_test import PythonTest, TestError, TestFailed, TestSkipped
from squall.stress.protocol import Execution, Outcome, Phase

PHASES = [
    Phase("setup", 10.0, 10.5),
    Phase("call", 10.5, 12.0, True),
    Phase("teardown", 12.0, 12.1),
]


def scenario() -> PythonTest:
    config = PythonTest.Config(tests=["t.py::TestX::test_y"])
    return PythonTest(config, ScenarioContext(), 1, AtomicRecorder(0.0))


def test_a_pass_is_one_atomic_holding_the_phases() -> None:
    s = scenario()
    phases = [Phase("setup", 1.0, 1.5), Phase("call", 1.5, 3.0), Phase("teardown", 3.0, 3.25)]
    s._record(Execution("t.py::TestX::test_y", Outcome.PASSED, phases))
    (action,) = s.atomics.actions
    assert action.name == "TestX::test_y"
    assert (action.started_at, action.finished_at, action.failed) == (1.0, 3.25, False)
    assert [(c.name, c.duration, c.failed) for c in action.children] == [
        ("setup", 0.5, False),
        ("call", 1.5, False),
        ("teardown", 0.25, False),
    ]


@pytest.mark.parametrize(
    ("outcome", "where", "raises", "text"),
    [
        (Outcome.FAILED, "call", TestFailed, "t.py::TestX::test_y: AssertionError: boom"),
        (Outcome.ERROR, "setup", TestError, "t.py::TestX::test_y (in setup): AssertionError: boom"),
        (Outcome.SKIPPED, "call", TestSkipped, "t.py::TestX::test_y: AssertionError: boom"),
    ],
)
def test_failures_raise_with_the_test_traceback_as_note(
    outcome: Outcome, where: str, raises: type[Exception], text: str
) -> None:
    s = scenario()
    result = Execution(
        "t.py::TestX::test_y",
        outcome,
        PHASES,
        where,
        "AssertionError",
        "AssertionError: boom",
        "def test_y():\n>   assert False\nE   AssertionError: boom",
    )
    with pytest.raises(raises) as err:
        s._record(result)
    assert str(err.value) == text
    assert err.value.__notes__ == [result.longrepr]
    assert s.atomics.actions[0].failed
