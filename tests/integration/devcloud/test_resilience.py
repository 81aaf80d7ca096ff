"""Faults on the shared devcloud under load, seen by the api monitor, and undone.

Each test kills one devcloud service during a run and checks that its API's downtime
window lines up with the fault, that the failed iterations fall inside it, and that
the service is back (restarted with the devcloud's own command) when the run ends.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from squall.api.environment import current_environment
from squall.api.openstack import CloudOptions, context_items
from squall.devcloud import procs, status
from squall.devcloud.state import load
from squall.disruptors.journal import FaultJournal
from squall.engine.task_engine import RunOptions, TaskEngine
from squall.plugins.loader import load_registry
from squall.results.records import RunStatus
from squall.results.samples import SampleStore
from squall.results.store import Store
from squall.stats.downtime import FaultSpan, Point, downtime_windows, impact, total_downtime
from squall.task.loader import load_text
from squall.task.validate import validate_task

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]


@pytest.fixture
def store(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'r.db'}") as s:
        yield s


def run(store, text, items=()):
    registry = load_registry()
    task = validate_task(load_text(text, "task.yaml"), registry)
    if not items:
        items = context_items(task, CloudOptions(clouds=("devcloud",)))
    options = RunOptions(context_items=list(items))
    engine = TaskEngine(task, store, current_environment(), registry=registry, options=options)
    return asyncio.run(engine.run())


def series(samples, target):
    """A target's probes, each at the time it ended (as the resilience report counts)."""
    return [Point(s.at + (s.latency or 0), s.ok, s.latency) for s in samples if s.target == target]


def pid_of(config, name):
    state = load(config.state_file)
    tracked = state.tracked(name) if state else None
    return tracked.pid if tracked and procs.is_alive(tracked) else None


def assert_healthy(config):
    broken = [row for row in status(config) if not row.ok]
    assert not broken, f"devcloud services not running: {broken}"


def test_nova_api_killed_under_load_is_down_only_for_servers(healthy, store, tmp_path):
    before = pid_of(healthy, "nova-api")
    journal = tmp_path / "faults.jsonl"
    outcome = run(
        store,
        f"""
squall: 1
title: kill nova-api
resilience:
  journal: {journal}
  health_gate: 1
  monitors:
    - api: {{cloud: devcloud, period: 0.5, endpoints: [token, servers]}}
  disruptions:
    - process: {{devcloud: nova-api, action: kill}}
      at: 2
      down: 3
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
        args: {{sleep: 0.1}}
        runner: {{type: constant_for_duration, duration: 40, concurrency: 2}}
""",
        items=[object()],
    )
    assert outcome.status is RunStatus.FINISHED
    stored = SampleStore(store)
    events = {e.phase: e for e in stored.events(outcome.run_id)}
    assert set(events) == {"inject", "effect", "restore", "recovered"}
    assert all(e.ok for e in events.values())
    samples = stored.samples(outcome.run_id)
    fault = FaultSpan("kill nova-api", events["inject"].at, events["restore"].at)
    servers = impact(series(samples, "servers"), fault, grace=60)
    assert servers.detect is not None and servers.detect <= 0.5 + 0.5  # a period, and slack
    assert servers.downtime >= 3.0 and servers.recovered
    # keystone was not touched: at most a stray slow token on this busy machine
    token_down = total_downtime(downtime_windows(series(samples, "token")))
    assert token_down < servers.downtime / 3
    assert FaultJournal(journal).pending() == []
    after = pid_of(healthy, "nova-api")
    assert after is not None and after != before
    assert_healthy(healthy)


@pytest.mark.slow
def test_keystone_killed_under_authenticate_load(healthy, store, tmp_path):
    outcome = run(
        store,
        f"""
squall: 1
title: kill keystone
resilience:
  journal: {tmp_path / "faults.jsonl"}
  health_gate: 1
  monitors:
    - api: {{cloud: devcloud, period: 0.5, endpoints: [token]}}
  disruptions:
    - process: {{devcloud: keystone, action: kill}}
      at: 8
      down: 3
subtasks:
  - title: load
    workloads:
      - scenario: Authenticate.keystone
        runner: {{type: constant_for_duration, duration: 20, concurrency: 2}}
        contexts: {{users: {{tenants: 1, users_per_tenant: 1}}}}
        sla: {{failure_rate: {{max: 100}}}}
""",
    )
    assert outcome.status is RunStatus.FINISHED
    stored = SampleStore(store)
    events = {e.phase: e for e in stored.events(outcome.run_id)}
    assert events["recovered"].ok
    (window,) = downtime_windows(series(stored.samples(outcome.run_id), "token"))
    assert window.end is not None
    run_record = store.get_run(outcome.run_id)
    (workload,) = run_record.workloads
    failed = [it for it in store.iterations(workload.id) if it.error is not None]
    assert failed, "no iteration failed while keystone was down"
    slack = 0.5 + 1.0  # one monitor period, plus an iteration in flight
    for it in failed:
        assert window.start - slack <= it.timestamp <= window.end + slack
    assert_healthy(healthy)


def test_task_start_with_cloud_runs_the_monitors(healthy, tmp_path):
    task = tmp_path / "task.yaml"
    task.write_text(
        """
squall: 1
title: monitored
resilience:
  monitors:
    - api: {period: 0.5, endpoints: [token, images]}
subtasks:
  - title: load
    workloads:
      - scenario: Authenticate.keystone
        runner: {type: constant_for_duration, duration: 3, concurrency: 1}
        contexts: {users: {tenants: 1, users_per_tenant: 1}}
"""
    )
    db = f"sqlite:///{tmp_path / 'r.db'}"
    squall = Path(sys.executable).with_name("squall")
    done = subprocess.run(
        [str(squall), "task", "start", str(task), "--cloud", "devcloud", "--db", db],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    with Store.open(db) as store:
        (record,) = store.list_runs()
        samples = SampleStore(store).samples(record.id)
    assert {s.target for s in samples} == {"token", "images"}
    assert all(s.ok for s in samples)
