"""A task's resilience section end to end: monitors around the load, a disruption on
the run's clock, samples and fault events stored, the downtime where the fault was."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from squall.api.environment import current_environment
from squall.cli import faults as faults_cli
from squall.devcloud import procs
from squall.disruptors.journal import FaultJournal
from squall.engine.task_engine import TaskEngine
from squall.errors import FaultError, TaskError
from squall.plugins.loader import load_registry
from squall.results.records import RunStatus
from squall.results.samples import SampleStore
from squall.results.store import Store
from squall.stats.downtime import Point, downtime_windows
from squall.task.loader import load_text
from squall.task.validate import validate_task

pytestmark = pytest.mark.integration


@pytest.fixture
def store(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'r.db'}") as s:
        yield s


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def server():
    """A TCP server with a unique command line, and the shell line that starts it again."""
    port, tag = free_port(), f"squall-srv-{uuid.uuid4().hex[:8]}"
    code = f"import http.server as h; h.HTTPServer(('127.0.0.1', {port}), h.BaseHTTPRequestHandler).serve_forever()  # {tag}"
    start = f'exec {sys.executable} -c "{code}" >/dev/null 2>&1 &'
    subprocess.run(["sh", "-c", start], check=True)
    wait_port(port)
    yield port, tag, start
    found = subprocess.run(["pgrep", "-f", tag], capture_output=True, text=True).stdout.split()
    for pid in found:
        os.kill(int(pid), signal.SIGKILL)


def run(store, text):
    task = validate_task(load_text(text, "task.yaml"), load_registry())
    engine = TaskEngine(task, store, current_environment(), registry=load_registry())
    return engine, asyncio.run(engine.run())


def test_a_killed_server_is_down_while_the_load_runs_and_back_after(store, server, tmp_path):
    port, tag, start = server
    journal = tmp_path / "faults.jsonl"
    task = f"""
squall: 1
title: resilience
resilience:
  journal: {journal}
  health_gate: 0.4
  monitors:
    - instance: {{tcp: ["127.0.0.1:{port}"], period: 0.2, timeout: 0.2}}
  disruptions:
    - process: {{name: {tag}, action: kill, start: [sh, -c, {json.dumps(start)}]}}
      at: 1
      down: 1.5
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
        args: {{sleep: 0.05}}
        runner: {{type: constant_for_duration, duration: 4, concurrency: 2}}
"""
    _, outcome = run(store, task)
    assert outcome.status is RunStatus.FINISHED
    stored = SampleStore(store)
    events = stored.events(outcome.run_id)
    phases = [e.phase for e in events]
    assert phases == ["inject", "effect", "restore", "recovered"] and all(e.ok for e in events)
    samples = stored.samples(outcome.run_id)
    assert {s.target for s in samples} == {f"tcp:127.0.0.1:{port}"}
    assert len(samples) >= 20
    (window,) = downtime_windows([Point(s.at, s.ok) for s in samples])
    injected, restored = events[0].at, events[2].at
    assert abs(window.start - injected) <= 0.4
    assert window.end is not None and 0 <= window.end - restored <= 1.5  # the server restarts
    assert samples[0].at < min(
        it.timestamp
        for w in store.get_run(outcome.run_id).workloads
        for it in store.iterations(w.id)
    )
    assert FaultJournal(journal).pending() == []
    wait_port(port)
    shown = CliRunner().invoke(faults_cli.app, ["report", outcome.run_id[:8], "--db", store.url])
    assert shown.exit_code == 0, shown.output
    assert f"tcp:127.0.0.1:{port}" in shown.output and "process:kill" in shown.output
    assert "resilience score" in shown.output


def test_the_health_gate_refuses_an_unhealthy_cloud(store, tmp_path):
    port = free_port()  # nothing listens there
    task = f"""
squall: 1
title: gated
resilience:
  health_gate: 0.3
  health_timeout: 1
  monitors:
    - instance: {{tcp: ["127.0.0.1:{port}"], period: 0.2, timeout: 0.1}}
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
"""
    with pytest.raises(FaultError, match="health gate did not pass") as info:
        run(store, task)
    assert f"instance:tcp:127.0.0.1:{port}" in info.value.message
    (record,) = store.list_runs()
    assert record.status is RunStatus.CRASHED
    assert store.get_run(record.id).workloads == []


TAIL = """
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
"""


def problems(section: str) -> str:
    text = f"squall: 1\ntitle: bad\nresilience:\n{section}{TAIL}"
    with pytest.raises(TaskError) as info:
        validate_task(load_text(text, "task.yaml"), load_registry())
    return str(info.value)


def test_bad_resilience_sections_are_located():
    two = problems("  disruptions:\n    - process: {name: x}\n      network: {interface: eth0}\n")
    assert "task.yaml:5: resilience.disruptions[0]: name exactly one disruptor, found 2" in two
    text = problems(
        "  monitors:\n    - apii: {}\n    - instance: {period: 0.01, ping: [a]}\n"
        "  disruptions:\n    - proces: {name: x}\n    - process: {name: x, action: explode}\n"
    )
    assert "task.yaml:5: resilience.monitors[0].apii: unknown monitor 'apii' (did you mean" in text
    assert "task.yaml:6: resilience.monitors[1].instance.period: Input should be greater" in text
    assert "task.yaml:8: resilience.disruptions[0].proces: unknown disruptor 'proces'" in text
    assert "task.yaml:9: resilience.disruptions[1].process.action: Input should be" in text


def sleeper_tag():
    tag = f"squall-hook-{uuid.uuid4().hex[:8]}"
    proc = subprocess.Popen([sys.executable, "-c", f"import time; time.sleep(300)  # {tag}"])
    return tag, proc


def test_rally_fault_injection_hook_freezes_for_its_seconds_and_is_stored(store, tmp_path):
    tag, proc = sleeper_tag()
    try:
        task = {
            "version": 2,
            "title": "rally hook",
            "subtasks": [
                {
                    "title": "load",
                    "workloads": [
                        {
                            "scenario": {"Dummy.dummy": {"sleep": 0.05}},
                            "runner": {"constant_for_duration": {"duration": 3, "concurrency": 2}},
                            "hooks": [
                                {
                                    "description": "os-faults sentence",
                                    "action": {
                                        "fault_injection": {
                                            "action": f"freeze {tag} service on one node for 1 seconds",
                                            "verify": True,
                                            "journal": str(tmp_path / "faults.jsonl"),
                                        }
                                    },
                                    "trigger": {"event": {"unit": "time", "at": [1]}},
                                }
                            ],
                        }
                    ],
                }
            ],
        }
        _, outcome = run(store, json.dumps(task))
        assert outcome.status is RunStatus.FINISHED
        (summary,) = outcome.summaries
        (hook,) = summary.hook_results
        assert hook.status == "success", hook.error
        chart = hook.output["complete"][0]
        assert [row[0] for row in chart["data"]["rows"]] == [
            "inject",
            "effect",
            "restore",
            "recovered",
        ]
        events = SampleStore(store).events(outcome.run_id)
        assert [e.phase for e in events] == ["inject", "effect", "restore", "recovered"]
        assert events[2].at - events[1].at >= 1.0
        assert proc.poll() is None
    finally:
        proc.kill()
        proc.wait()


def test_disruptor_hook_that_cannot_act_fails_the_hook_not_the_run(store):
    task = """
squall: 1
title: hook
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
        runner: {type: constant, times: 3}
        hooks:
          - action: {disruptor: {process: {name: squall-nothing-matches-this-ever}, down: 1}}
            trigger: {event: {unit: iteration, at: [1]}}
"""
    _, outcome = run(store, task)
    assert outcome.status is RunStatus.FINISHED
    (hook,) = outcome.summaries[0].hook_results
    assert hook.status == "failed" and "no process matches" in hook.error["msg"]


def test_dry_run_prints_targets_and_commands_and_touches_nothing(tmp_path):
    tag, proc = sleeper_tag()
    try:
        task = tmp_path / "task.yaml"
        task.write_text(
            f"""
squall: 1
title: dry
resilience:
  monitors:
    - instance: {{ping: [127.0.0.1]}}
  disruptions:
    - process: {{name: {tag}, action: freeze}}
      at: 5
      down: 2
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
"""
        )
        time.sleep(0.2)
        shown = CliRunner().invoke(faults_cli.app, ["dry-run", str(task)])
        assert shown.exit_code == 0, shown.output
        assert "monitor instance" in shown.output
        assert f"inject   localhost: kill -s STOP {proc.pid}" in shown.output
        assert f"restore  localhost: kill -s CONT {proc.pid}" in shown.output
        assert proc.poll() is None and procs.state_of(proc.pid) != "T"
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize(
    ("disruption", "message"),
    [
        ("process: {name: squall-nothing-matches-this-either}", "no process matches"),
        (
            "container: {container: squall-no-such-container, engine: podman}",
            "no podman container 'squall-no-such-container'|podman is not installed",
        ),
        ("node: {via: libvirt, action: poweroff}", "virsh is not installed on localhost"),
    ],
    ids=["process", "container", "node-tool"],
)
def test_a_disruption_that_matches_nothing_refuses_the_run_before_it_starts(
    store, disruption, message
):
    task = f"""
squall: 1
title: nothing
resilience:
  disruptions:
    - {disruption}
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
"""
    with pytest.raises(FaultError, match=message):
        run(store, task)
    (record,) = store.list_runs()
    assert store.get_run(record.id).workloads == []


def test_ctrl_c_during_a_fault_restores_it_and_stores_the_run(tmp_path):
    tag, proc = sleeper_tag()
    journal = tmp_path / "faults.jsonl"
    task = tmp_path / "task.yaml"
    task.write_text(
        f"""
squall: 1
title: interrupted
resilience:
  journal: {journal}
  disruptions:
    - process: {{name: {tag}, action: freeze}}
      at: 0.5
      down: 60
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
        args: {{sleep: 0.1}}
        runner: {{type: constant_for_duration, duration: 60, concurrency: 1}}
"""
    )
    squall = Path(sys.executable).with_name("squall")
    db = f"sqlite:///{tmp_path / 'r.db'}"
    cli = subprocess.Popen(
        [str(squall), "task", "start", str(task), "--db", db],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while procs.state_of(proc.pid) != "T" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert procs.state_of(proc.pid) == "T"
        cli.send_signal(signal.SIGINT)
        _, err = cli.communicate(timeout=60)
        assert cli.returncode == 1, err
        assert "Traceback" not in err
        assert procs.state_of(proc.pid) in ("S", "R")
        assert FaultJournal(journal).pending() == []
        with Store.open(db) as store:
            (record,) = store.list_runs()
            assert record.status is RunStatus.ABORTED
            phases = [e.phase for e in SampleStore(store).events(record.id)]
            assert phases[:3] == ["inject", "effect", "restore"]
    finally:
        cli.kill()
        proc.kill()
        proc.wait()


def _freeze_hook_task(title: str, tag: str, journal: Path) -> str:
    return f"""
squall: 1
title: {title}
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
        args: {{sleep: 0.05}}
        runner: {{type: constant_for_duration, duration: 3, concurrency: 1}}
        hooks:
          - action: {{disruptor: {{process: {{name: {tag}, action: freeze}}, down: 1,
                                 journal: {journal}}}}}
            trigger: {{event: {{unit: time, at: [1]}}}}
"""


def test_two_runs_in_one_process_keep_their_own_fault_events(store, tmp_path):
    """As in the server: two runs at once, each freezing its own process from a hook;
    each run stores only its own fault's events, and journals them under its id."""
    first, second = sleeper_tag(), sleeper_tag()
    journal = tmp_path / "faults.jsonl"
    try:
        registry = load_registry()
        engines = [
            TaskEngine(
                validate_task(load_text(_freeze_hook_task(name, tag, journal), "t.yaml"), registry),
                store,
                current_environment(),
                registry=registry,
            )
            for name, (tag, _) in (("one", first), ("two", second))
        ]

        async def both():
            return await asyncio.gather(*(e.run() for e in engines))

        outcomes = asyncio.run(both())
        for outcome, (tag, proc) in zip(outcomes, (first, second), strict=True):
            assert outcome.status is RunStatus.FINISHED
            (hook,) = outcome.summaries[0].hook_results
            assert hook.status == "success", hook.error
            events = SampleStore(store).events(outcome.run_id)
            assert [e.phase for e in events] == ["inject", "effect", "restore", "recovered"]
            assert {e.disruptor for e in events} == {f"process:freeze:{tag}"}
            assert proc.poll() is None
        begun = [json.loads(line) for line in journal.read_text().splitlines() if '"begin"' in line]
        assert sorted((b["run_id"], b["disruptor"]) for b in begun) == sorted(
            (o.run_id, f"process:freeze:{tag}")
            for o, (tag, _) in zip(outcomes, (first, second), strict=True)
        )
    finally:
        for _, proc in (first, second):
            proc.kill()
            proc.wait()


def test_disruptions_count_from_the_load_start_not_the_contexts(store, tmp_path):
    """`at` is seconds after the load starts: contexts that take long leave the baseline
    (iterations before the first fault) intact."""
    tag, proc = sleeper_tag()
    try:
        _, outcome = run(
            store,
            f"""
squall: 1
title: slow contexts
resilience:
  journal: {tmp_path / "faults.jsonl"}
  disruptions:
    - process: {{name: {tag}, action: freeze}}
      at: 1
      down: 0.5
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
        args: {{sleep: 0.05}}
        runner: {{type: constant_for_duration, duration: 3, concurrency: 1}}
        contexts: {{dummy_context: {{setup_sleep: 2}}}}
""",
        )
        assert outcome.status is RunStatus.FINISHED
        inject = SampleStore(store).events(outcome.run_id)[0]
        (workload,) = store.get_run(outcome.run_id).workloads
        first = min(it.timestamp for it in store.iterations(workload.id))
        assert inject.phase == "inject"
        assert 1.0 <= inject.at - first <= 1.5
    finally:
        proc.kill()
        proc.wait()
