"""`squall task start` and `task show` print the resilience summary of a run that had
monitors or faults (and nothing of the kind for a run that had neither)."""

from __future__ import annotations

import json

from tests.integration.engine import test_resilience as engine_tests

server = engine_tests.server  # a TCP server with a unique command line, and how to restart it


def test_start_and_show_print_downtime_faults_and_score(squall, server, tmp_path):
    port, tag, start = server
    task = squall.task_file(
        "resilience.yaml",
        f"""
squall: 1
title: killed server
resilience:
  journal: {tmp_path / "faults.jsonl"}
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
""",
    )
    started = squall("task", "start", task)
    assert started.code == 0, started.err
    shown = squall("task", "show", "last")
    assert shown.code == 0, shown.err
    for r in (started, shown):
        assert "Resilience" in r.out
        assert "Downtime per target" in r.out
        target = f"tcp:127.0.0.1:{port}"
        (row,) = [ln for ln in r.out.splitlines() if target in ln and "instance:" not in ln]
        assert "+" in row and ".." in row  # one downtime window, from .. to
        assert f"process:kill:{tag} on localhost (injected +" in r.out
        assert "iterations failed during it" in r.out
        assert "workload 0.0 Dummy.dummy:" in r.out
        assert "resilience score" in r.out


def test_a_run_without_monitors_or_faults_prints_no_resilience_part(squall):
    task = squall.task_file(
        "plain.yaml",
        """
squall: 1
title: plain
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
        runner: {type: constant, times: 3}
""",
    )
    started = squall("task", "start", task)
    assert started.code == 0, started.err
    shown = squall("task", "show", "last")
    for r in (started, shown):
        assert "resilience score" not in r.out and "Resilience" not in r.out
