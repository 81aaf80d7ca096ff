"""Every sample task loads and validates against the real plugin registry."""

from functools import cache
from pathlib import Path

import pytest

from squall.plugins.loader import load_registry
from squall.plugins.registry import Registry
from squall.task.loader import load_task
from squall.task.validate import validate_task

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "tasks"
SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))


@cache
def registry() -> Registry:
    return load_registry()


def test_there_are_native_and_rally_samples():
    folders = {p.parent.name for p in SAMPLE_FILES}
    assert {"native", "rally"} <= folders


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_sample_validates(path):
    loaded = load_task(path)
    # rally/ and openstack/ hold Rally task files kept as users write them
    rally_format = path.parent.name in {"rally", "openstack"}
    expected = ("rally-v1", "rally-v2") if rally_format else ("squall",)
    assert loaded.task.source_format in expected
    validated = validate_task(loaded, registry())
    assert len(validated.workloads) == len(loaded.task.workloads())


def test_the_rally_probe_tasks_are_kept_unchanged():
    reference = Path(__file__).resolve().parents[3] / "shared" / "reference"
    if not reference.is_dir():
        pytest.skip("the shared reference folder is not beside this checkout")
    for name in ("rally-probe-task.yaml", "rally-probe-ramp.yaml"):
        assert (SAMPLES / "rally" / name).read_text() == (reference / name).read_text()


def test_every_dummy_scenario_runner_and_hook_is_exercised():
    used: set[str] = set()
    for path in SAMPLE_FILES:
        for _, _, workload in load_task(path).task.workloads():
            used.add(workload.scenario.name)
            used.add(workload.runner.name)
            used.update(h.action.name for h in workload.hooks)
            used.update(h.trigger.name for h in workload.hooks)
            used.update(workload.sla)
    assert {
        "Dummy.dummy",
        "Dummy.dummy_exception",
        "Dummy.dummy_exception_probability",
        "Dummy.dummy_random_fail_in_atomic",
        "Dummy.dummy_with_scenario_output",
        "Dummy.dummy_timed_atomic_actions",
        "constant",
        "constant_for_duration",
        "rps",
        "serial",
        "sys_call",
        "event",
        "periodic",
        "failure_rate",
        "max_seconds_per_iteration",
        "max_avg_duration",
        "max_avg_duration_per_atomic",
        "outliers",
        "performance_degradation",
    } <= used
