"""The task `squall stress` builds is a valid task with the right runner and SLA."""

from __future__ import annotations

import pytest

from squall.plugins.loader import load_registry
from squall.scenarios.python_test import PythonTest
from squall.stress.protocol import SetupScope
from squall.stress.task import DEFAULT_TIMES, StressRequest, build_task
from squall.task.validate import validate_task


def validated(request: StressRequest) -> PythonTest.Config:
    task = validate_task(build_task(request), load_registry())
    (workload,) = task.workloads
    assert workload.workload.scenario.name == "Python.test"
    config = workload.scenario_config
    assert isinstance(config, PythonTest.Config)
    return config


def test_times_and_workers() -> None:
    request = StressRequest(tests=("a.py::t",), workers=4, times=20)
    config = validated(request)
    assert config.tests == ["a.py::t"]
    runner = build_task(request).task.subtasks[0].workloads[0].runner
    assert (runner.name, runner.args) == ("constant", {"times": 20, "concurrency": 4})


def test_default_times_and_more_workers_than_times() -> None:
    runner = build_task(StressRequest(tests=("t",), workers=3)).task.subtasks[0].workloads[0]
    assert runner.runner.args == {"times": DEFAULT_TIMES, "concurrency": 3}
    few = build_task(StressRequest(tests=("t",), workers=8, times=2)).task
    assert few.subtasks[0].workloads[0].runner.args == {"times": 2, "concurrency": 2}


def test_duration() -> None:
    request = StressRequest(tests=("t",), workers=2, duration=5.0)
    validated(request)
    runner = build_task(request).task.subtasks[0].workloads[0].runner
    assert (runner.name, runner.args) == (
        "constant_for_duration",
        {"duration": 5.0, "concurrency": 2},
    )


@pytest.mark.parametrize("rate", [0.0, 12.5])
def test_failure_rate_sla(rate: float) -> None:
    task = build_task(StressRequest(tests=("t",), max_failure_rate=rate)).task
    assert task.subtasks[0].workloads[0].sla == {"failure_rate": {"max": rate}}


def test_scenario_arguments_reach_the_pool_spec() -> None:
    config = validated(
        StressRequest(
            tests=("x", "y"),
            scope=SetupScope.GLOBAL,
            marked_only=True,
            rootdir="/src",
            pytest_args=("-p", "no:randomly"),
        )
    )
    spec = config.spec()
    assert spec.tests == ("x", "y")
    assert spec.scope is SetupScope.GLOBAL
    assert spec.marked_only and spec.rootdir == "/src"
    assert spec.pytest_args == ("-p", "no:randomly")
