"""The task engine end to end on a real SQLite store: contexts, hooks, SLA aborts,
parallel workloads, and what is stored."""

from __future__ import annotations

import asyncio
import sys

import pytest

from squall.api.environment import current_environment
from squall.engine.task_engine import RunOptions, TaskEngine
from squall.plugins.loader import load_registry
from squall.results.records import RunStatus
from squall.results.store import Store
from squall.task.loader import load_text
from squall.task.validate import validate_task

pytestmark = pytest.mark.integration


@pytest.fixture
def store(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'engine.db'}") as s:
        yield s


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def run_task(store, registry, text, **options):
    task = validate_task(load_text(text, "task.yaml"), registry)
    engine = TaskEngine(
        task, store, current_environment(), registry=registry, options=RunOptions(**options)
    )
    outcome = asyncio.run(engine.run())
    return outcome, store.get_run(outcome.run_id)


def test_every_iteration_is_stored_and_summarised(store, registry):
    outcome, run = run_task(
        store,
        registry,
        """
squall: 1
title: stored
subtasks:
  - title: one
    workloads:
      - scenario: Dummy.dummy
        runner: {type: constant, times: 2500, concurrency: 10}
""",
    )
    assert outcome.status is RunStatus.FINISHED and run.status is RunStatus.FINISHED
    (workload,) = run.workloads
    assert workload.summary.total_iteration_count == 2500
    stored = list(store.iterations(workload.id))
    assert sorted(it.number for it in stored) == list(range(1, 2501))
    assert run.environment.python == sys.version.split()[0]


def test_contexts_are_cleaned_up_even_when_one_fails(store, registry):
    outcome, run = run_task(
        store,
        registry,
        """
squall: 1
title: broken context
subtasks:
  - title: one
    workloads:
      - scenario: Dummy.dummy
        runner: {type: constant, times: 5}
        contexts:
          dummy_context: {fail_setup: true}
""",
    )
    (summary,) = outcome.summaries
    assert summary.status is RunStatus.CRASHED
    assert summary.total_iteration_count == 0
    (ctx,) = summary.contexts_results
    assert ctx["setup"]["error"][0] == "ConfigError"
    assert ctx["cleanup"]["finished_at"] is not None and ctx["cleanup"]["error"] is None
    assert any(r.criterion == "something_went_wrong" and not r.success for r in summary.sla_results)
    assert run.status is RunStatus.CRASHED


def test_hooks_fire_on_iterations_and_seconds(store, registry, tmp_path):
    marker = tmp_path / "fired"
    outcome, _ = run_task(
        store,
        registry,
        f"""
version: 2
title: hooks
subtasks:
  - title: hooks
    scenario: {{Dummy.dummy: {{sleep: 0.05}}}}
    runner: {{constant_for_duration: {{duration: 2.5, concurrency: 2}}}}
    hooks:
      - description: iteration hook
        action: {{sys_call: "touch {marker}"}}
        trigger: {{event: {{unit: iteration, at: [2, 5]}}}}
      - description: time hook
        action: {{sys_call: /bin/false}}
        trigger: {{periodic: {{unit: time, step: 1, end: 2}}}}
""",
    )
    (summary,) = outcome.summaries
    fired = sorted((h.triggered_by.event_type, h.triggered_by.value) for h in summary.hook_results)
    assert fired == [("iteration", 2), ("iteration", 5), ("time", 0), ("time", 1), ("time", 2)]
    assert {
        h.status for h in summary.hook_results if h.action == "sys_call" and h.trigger == "event"
    } == {"success"}
    assert all(h.status == "failed" for h in summary.hook_results if h.trigger == "periodic")
    assert marker.exists()
    assert summary.quantisation["hooks.time_trigger"] == 1.0


def test_abort_on_sla_failure_stops_early_and_says_so(store, registry):
    outcome, _ = run_task(
        store,
        registry,
        """
squall: 1
title: sla abort
subtasks:
  - title: one
    workloads:
      - scenario: Dummy.dummy_exception
        args: {sleep: 0.01}
        runner: {type: constant, times: 1000, concurrency: 2}
""",
        abort_on_sla_failure=True,
    )
    (summary,) = outcome.summaries
    assert summary.total_iteration_count < 100
    criteria = {r.criterion: r.success for r in summary.sla_results}
    assert criteria == {"failure_rate": False, "aborted_on_sla": False}
    assert outcome.status is RunStatus.FINISHED


def test_run_in_parallel_really_overlaps(store, registry):
    outcome, _ = run_task(
        store,
        registry,
        """
squall: 1
title: parallel
subtasks:
  - title: both
    run_in_parallel: true
    workloads:
      - scenario: Dummy.dummy
        args: {sleep: 0.5}
        runner: {type: constant, times: 2, concurrency: 1}
      - scenario: Dummy.dummy
        args: {sleep: 0.5}
        runner: {type: constant, times: 2, concurrency: 1}
""",
    )
    a, b = outcome.summaries
    a_end = a.start_time + a.load_duration
    b_end = b.start_time + b.load_duration
    assert max(a.start_time, b.start_time) < min(a_end, b_end)  # the windows overlap
