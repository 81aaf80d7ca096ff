"""Faults on the shared devcloud under load, seen by the api monitor, and undone.

Each test kills one devcloud service during a run and checks that its API's downtime
window lines up with the fault, that the failed iterations fall inside it, and that
the service is back (restarted with the devcloud's own command) when the run ends.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
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


def task_start(task: Path, db: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """`squall task start TASK --cloud devcloud` with its own store."""
    squall = Path(sys.executable).with_name("squall")
    return subprocess.run(
        [str(squall), "task", "start", str(task), "--cloud", "devcloud", "--db", db],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


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
    done = task_start(task, db, timeout=300)
    assert done.returncode == 0, done.stderr
    with Store.open(db) as store:
        (record,) = store.list_runs()
        samples = SampleStore(store).samples(record.id)
    assert {s.target for s in samples} == {"token", "images"}
    assert all(s.ok for s in samples)


PERIOD = 0.5
#: seconds from the load start to each fault, and its length
CONDUCTOR_AT, KEYSTONE_AT, DOWN = 45, 80, 5


def boot_and_delete(journal: Path) -> str:
    return f"""
squall: 1
title: nova-conductor killed, then keystone stopped, under boot-and-delete
resilience:
  journal: {journal}
  health_gate: 2
  monitors:
    - api: {{period: {PERIOD}, endpoints: [token, servers]}}
    - host: {{process: bin/nova-conductor, period: {PERIOD}}}
  disruptions:
    - process: {{devcloud: nova-conductor, action: kill}}
      at: {CONDUCTOR_AT}
      down: {DOWN}
    - process: {{devcloud: keystone, action: stop}}
      at: {KEYSTONE_AT}
      down: {DOWN}
subtasks:
  - title: boot and delete
    workloads:
      - scenario: NovaServers.boot_and_delete_server
        args:
          image: {{regex: "^cirros"}}
          flavor: {{name: m1.nano}}
          waits:
            nova_server_boot: {{prepoll: 0.2, interval: 0.5, timeout: 60}}
            nova_server_delete: {{prepoll: 0.2, interval: 0.5, timeout: 60}}
        runner: {{type: constant_for_duration, duration: 100, concurrency: 5}}
        contexts: {{users: {{tenants: 1, users_per_tenant: 1}}, network: {{}}}}
        sla: {{failure_rate: {{max: 100}}}}
"""


def _window_of(samples, target, fault):
    """The one downtime window of ``target`` that overlaps ``fault`` (inject .. recovered)."""
    windows = downtime_windows(series(samples, target))
    hit = [w for w in windows if w.overlaps(fault["inject"].at - PERIOD, fault["recovered"].at)]
    assert len(hit) == 1, f"{target}: windows {windows} for fault {fault}"
    return hit[0]


@pytest.mark.slow
def test_conductor_killed_then_keystone_stopped_during_boot_and_delete(healthy, tmp_path):
    """The issue's test: downtime windows line up with the injections within one monitor
    period, the failed iterations fall inside them, both services come back, nothing is
    left in the cloud, and `task start` prints the resilience summary.

    Seen here: a SIGKILLed conductor loses the builds it had taken (those servers stay
    in BUILD until the boot wait times out); with keystone stopped, calls with tokens
    nova already validated go on working (its token cache), new tokens fail."""
    task = tmp_path / "task.yaml"
    task.write_text(boot_and_delete(tmp_path / "faults.jsonl"))
    db = f"sqlite:///{tmp_path / 'r.db'}"
    done = task_start(task, db, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "left in the cloud" not in done.stdout, done.stdout
    assert "resilience score" in done.stdout and "process:kill:nova-conductor" in done.stdout
    with Store.open(db) as store:
        (record,) = store.list_runs()
        stored = SampleStore(store)
        samples, events = stored.samples(record.id), stored.events(record.id)
        (workload,) = store.get_run(record.id).workloads
        iterations = list(store.iterations(workload.id))
    assert all(e.ok for e in events), events
    faults = {
        name: {e.phase: e for e in events if e.disruptor == name}
        for name in ("process:kill:nova-conductor", "process:stop:keystone")
    }
    for fault in faults.values():
        assert set(fault) == {"inject", "effect", "restore", "recovered"}
    first_fault = faults["process:kill:nova-conductor"]["inject"].at
    baseline = [it for it in iterations if it.error is None and it.timestamp < first_fault]
    assert baseline, "no boot-and-delete finished before the first fault (no baseline)"
    windows = []
    for fault, target in (
        (faults["process:kill:nova-conductor"], "localhost:bin/nova-conductor"),
        (faults["process:stop:keystone"], "token"),
    ):
        window = _window_of(samples, target, fault)
        # down from the injection, seen within one period of the fault taking effect (a
        # SIGTERMed gunicorn drains for its graceful timeout: probes hang, then fail)
        assert fault["inject"].at - 0.25 <= window.start, (window, fault)
        assert window.start <= fault["effect"].at + PERIOD + 0.25, (window, fault)
        assert window.end is not None and window.end >= fault["restore"].at
        # up again at the first probe that succeeds once the service answers: that probe
        # started within one period of the service answering or of the monitor being free
        # again (a probe sent while the service was down hangs until its timeout)
        probes = [s for s in samples if s.target == target]
        closing = next(s for s in probes if s.ok and s.at + (s.latency or 0) == window.end)
        busy_until = max(s.at + (s.latency or 0) for s in probes if s.at < closing.at)
        ready = max(fault["recovered"].at, busy_until)
        assert closing.at <= ready + PERIOD + 0.25, (closing, fault)
        windows.append(window)
    failed = [it for it in iterations if it.error is not None]
    for it in failed:  # each failure happened while a fault's window was open
        began, ended = it.timestamp, it.timestamp + (it.duration or 0.0)
        assert any(began <= w.end + PERIOD and ended >= w.start - PERIOD for w in windows), (
            f"iteration {it.number} failed outside every fault: {it.error}"
        )
    assert len(failed) < len(iterations)
    assert FaultJournal(tmp_path / "faults.jsonl").pending() == []
    assert_healthy(healthy)


FROZEN_CONDUCTOR = """
squall: 1
title: squall dies while nova-conductor is frozen
resilience:
  disruptions:
    - process: {devcloud: nova-conductor, action: freeze}
      at: 0
      down: 300
subtasks:
  - title: load
    workloads:
      - scenario: Authenticate.keystone
        runner: {type: constant_for_duration, duration: 300, concurrency: 1}
        contexts: {users: {tenants: 1, users_per_tenant: 1}}
"""


def test_squall_killed_mid_fault_then_cleanup_undoes_it(healthy, tmp_path):
    """SIGKILL `task start` while a devcloud service is frozen: `squall cleanup --run`
    thaws it (from the fault journal) before it cleans the cloud."""
    journal = tmp_path / "faults.jsonl"
    env = {**os.environ, "SQUALL_FAULT_JOURNAL": str(journal)}
    task, db = tmp_path / "task.yaml", f"sqlite:///{tmp_path / 'r.db'}"
    task.write_text(FROZEN_CONDUCTOR)
    squall = str(Path(sys.executable).with_name("squall"))
    argv = [squall, "task", "start", str(task), "--cloud", "devcloud", "--db", db]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout is not None
        run_id = child.stdout.readline().split()[1]
        deadline = time.monotonic() + 120
        while not FaultJournal(journal).pending():
            assert time.monotonic() < deadline, "the fault never began"
            time.sleep(0.1)
        time.sleep(1)  # the SIGSTOP follows its journal entry
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        conductor = pid_of(healthy, "nova-conductor")
        assert conductor is not None and procs.state_of(conductor) == "T"  # outlived squall
        done = subprocess.run(
            [squall, "cleanup", "--run", run_id[:8], "--cloud", "devcloud", "--db", db],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "undone process:freeze:nova-conductor" in done.stdout
        assert procs.state_of(conductor) in ("S", "R")
        assert FaultJournal(journal).pending() == []
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
        FaultJournal(journal).replay()  # never leave the shared devcloud frozen
    assert_healthy(healthy)
