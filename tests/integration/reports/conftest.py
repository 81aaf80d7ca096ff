"""Runs made by the real engine on Dummy sample tasks, in a SQLite store per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from squall.api import tasks as tasks_api
from squall.plugins.loader import load_registry
from squall.results.store import Store

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "artifacts"
SAMPLES = ROOT / "samples" / "tasks" / "native"


OUTPUT_TASK = """
squall: 1
title: every kind of scenario output
subtasks:
  - title: output
    workloads:
      - scenario: Dummy.dummy_output
        args: {random_range: 20}
        runner: {type: constant, times: 300, concurrency: 3}
"""


def run_sample(store: Store, name: str, task_args: str | None = None, tags=()) -> str:
    registry = load_registry([])
    path = name if Path(name).is_absolute() else str(SAMPLES / name)
    task = tasks_api.validate(tasks_api.TaskInput(path, task_args), registry)
    options = tasks_api.StartOptions(tags=list(tags))
    return tasks_api.start(task, store, registry, options=options).run_id


@pytest.fixture(scope="session")
def sample_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, str]]]:
    """A store holding: hooks, failures, and two constant runs with different sleeps."""
    folder = tmp_path_factory.mktemp("reports")
    path = folder / "squall.db"
    output_task = folder / "output.yaml"
    output_task.write_text(OUTPUT_TASK)
    with Store.open(f"sqlite:///{path}") as store:
        runs = {
            "hooks": run_sample(store, "dummy-hooks.yaml"),
            "failures": run_sample(store, "dummy-failures.yaml"),
            "fast": run_sample(store, "dummy-constant.yaml", "times=600,concurrency=10,sleep=0.01"),
            "slow": run_sample(store, "dummy-constant.yaml", "times=600,concurrency=10,sleep=0.02"),
            "output": run_sample(store, str(output_task)),
        }
        yield store, runs
