from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from enginebench.tasks import TaskShapeError, with_times, workload_spec

TASKS = Path(__file__).resolve().parents[1] / "tasks"

# Each single-figure task file is one subtask of the reference probe, unchanged.
FROM_PROBE = {
    "c20-sleep0.yaml": 0,
    "c100-sleep0.1.yaml": 1,
    "rps1000-sleep0.05.yaml": 4,
}


@pytest.mark.parametrize(("name", "index"), FROM_PROBE.items())
def test_single_figure_tasks_are_subtasks_of_the_probe(name, index):
    probe = yaml.safe_load((TASKS / "rally-probe-task.yaml").read_text())
    task = yaml.safe_load((TASKS / name).read_text())

    assert task["subtasks"] == [probe["subtasks"][index]]


def test_every_benchmark_task_has_one_workload():
    for path in TASKS.glob("*.yaml"):
        if path.name != "rally-probe-task.yaml":
            assert workload_spec(path.read_text()).times > 0, path.name


def test_closed_loop_ideal_rate_is_concurrency_over_sleep():
    spec = workload_spec((TASKS / "c100-sleep0.1.yaml").read_text())

    assert spec.ideal_rate() == pytest.approx(1000.0)
    assert spec.target_rate() is None


def test_rps_target_and_ramp_end():
    assert workload_spec((TASKS / "rps1000-sleep0.05.yaml").read_text()).target_rate() == 1000.0
    ramp = workload_spec((TASKS / "rally-probe-ramp.yaml").read_text())
    assert ramp.ramp_end() == 20.0
    assert ramp.target_rate() is None
    assert ramp.times == 600


def test_no_ideal_rate_without_sleep():
    assert workload_spec((TASKS / "c20-sleep0.yaml").read_text()).ideal_rate() is None


def test_with_times_changes_only_times():
    text = (TASKS / "rally-probe-ramp.yaml").read_text()

    smaller = workload_spec(with_times(text, 60))
    original = workload_spec(text)

    assert smaller.times == 60
    assert smaller.runner_args["rps"] == original.runner_args["rps"]
    assert smaller.scenario == original.scenario
    assert smaller.args == original.args


def test_a_task_with_several_subtasks_is_refused():
    with pytest.raises(TaskShapeError, match="one subtask"):
        workload_spec((TASKS / "rally-probe-task.yaml").read_text())


def test_a_v1_task_is_refused():
    with pytest.raises(TaskShapeError, match="v2"):
        workload_spec("Dummy.dummy: [{runner: {type: serial}}]")
