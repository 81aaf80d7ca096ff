"""`squall task ...` end to end: exit codes, messages, stored results, aborts."""

from __future__ import annotations

import json
import signal
import time
import xml.etree.ElementTree as ET

SLEEPY = """
squall: 1
title: long enough to interrupt
subtasks:
  - title: sleepy
    workloads:
      - scenario: Dummy.dummy
        args: {sleep: 0.05}
        runner: {type: constant, times: 100000, concurrency: 4}
"""


def test_sample_runs_and_prints_rallys_columns_plus_p99(squall):
    r = squall(
        "task", "start", "samples/tasks/native/dummy-constant.yaml", "--task-args", "times=50"
    )
    assert r.code == 0, r.err
    for column in (
        "Min (sec)",
        "Median",
        "90%ile",
        "95%ile",
        "99%ile",
        "Max",
        "Avg",
        "Success",
        "Count",
    ):
        assert column in r.out
    assert "every SLA passed" in r.out
    listed = squall("task", "list")
    assert "finished" in listed.out and "Dummy.dummy at constant concurrency" in listed.out


def test_failed_sla_exits_2(squall):
    task = squall.task_file(
        "fail.yaml",
        """
version: 2
title: failing SLA
subtasks:
  - title: always fails
    scenario: {Dummy.dummy_exception: {sleep: 0}}
    runner: {constant: {times: 5, concurrency: 1}}
""",
    )
    r = squall("task", "start", task)
    assert r.code == 2
    assert "SLA FAIL failure_rate" in r.out.replace("  ", " ") or "FAIL" in r.out
    assert "Traceback" not in r.err


def test_unknown_scenario_is_one_message_with_hint_and_exit_1(squall):
    task = squall.task_file(
        "typo.yaml",
        """
version: 2
title: typo
subtasks:
  - title: typo
    scenario: {Dummy.dumy: {}}
    runner: {constant: {times: 1, concurrency: 3}}
""",
    )
    r = squall("task", "start", task)
    assert r.code == 1
    assert "Traceback" not in r.err
    assert "typo.yaml:6" in r.err and "did you mean 'Dummy.dummy'" in r.err
    assert "concurrency (3) must not exceed times (1)" in r.err  # every problem at once
    assert not (squall.workdir / "squall.db").exists()  # nothing was stored, not even a run


def test_task_from_stdin_with_args(squall):
    text = "{% set n = n or 1 %}\n" + SLEEPY.replace("100000", "{{ n }}").replace("0.05", "0")
    r = squall("task", "start", "-", "--task-args", "n: 7", stdin=text)
    assert r.code == 0, r.err
    shown = squall("task", "show", "last")
    assert "iterations=7" in shown.out


def test_exports_are_parseable(squall, tmp_path):
    assert squall("task", "start", "samples/tasks/rally/dummy-v2.yaml").code in (0, 2)
    for kind, check in (
        ("json", lambda p: json.loads(p.read_text())),
        ("rally-json", lambda p: json.loads(p.read_text())["info"]["format_version"] == "1.2"),
        ("junit-xml", lambda p: ET.parse(p).getroot()),
    ):
        out = tmp_path / f"export.{kind}"
        r = squall("task", "export", "last", "--type", kind, "--to", str(out))
        assert r.code == 0, r.err
        assert check(out)
    assert json.loads((tmp_path / "export.json").read_text())["schema"] == "squall.run/2"


def test_export_options(squall, tmp_path):
    assert squall("task", "start", "samples/tasks/rally/dummy-v2.yaml").code in (0, 2)
    v1 = tmp_path / "v1.json"
    r = squall("task", "export", "last", "--to", str(v1), "-o", "schema=1", "-o", "indent=0")
    assert r.code == 0, r.err
    assert json.loads(v1.read_text())["schema"] == "squall.run/1"
    kept = tmp_path / "kept.json"
    kept.write_text("untouched")
    bad = squall("task", "export", "last", "--to", str(kept), "-o", "schema=3")
    assert bad.code == 1
    assert "schema" in bad.err and "Traceback" not in bad.err
    assert kept.read_text() == "untouched"
    shown = squall("plugins", "show", "json")
    assert "schema" in shown.out and "schema_version" not in shown.out  # the name a user writes


def test_ctrl_c_stores_partial_results_and_exits_1(squall):
    proc = squall.start_and_wait(squall.task_file("sleepy.yaml", SLEEPY))
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    assert "aborted" in out
    shown = squall("task", "show", "last")
    assert "status aborted" in shown.out
    assert "iterations=0" not in shown.out


def test_abort_from_another_process(squall):
    proc = squall.start_and_wait(squall.task_file("sleepy.yaml", SLEEPY))
    time.sleep(1)
    assert squall("task", "abort", "last").code == 0
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1, err
    assert "aborted" in out


def test_unusable_database_is_a_clear_error(squall, tmp_path):
    bad = tmp_path / "not-a-db"
    bad.write_text("this is not sqlite" * 100)
    r = squall("--help")
    assert r.code == 0
    r = squall("task", "list", "--db", f"sqlite:///{bad}")
    assert r.code == 1
    assert "Traceback" not in r.err and "error:" in r.err


def test_second_ctrl_c_stops_hard_and_the_run_is_still_marked_aborted(squall):
    stuck = SLEEPY.replace("sleep: 0.05", "sleep: 60")
    proc = squall.start_and_wait(squall.task_file("stuck.yaml", stuck))
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)  # soft: would wait a minute for in-flight iterations
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)  # hard: cut them
    _, err = proc.communicate(timeout=30)  # far less than the 60 s iterations
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    shown = squall("task", "show", "last")
    assert "status aborted" in shown.out
    assert "RunAborted" in squall("task", "results", "last").out


def test_reading_commands_never_create_a_mistyped_database(squall, tmp_path):
    typo = tmp_path / "typo.db"
    r = squall("task", "list", "--db", f"sqlite:///{typo}")
    assert r.code == 1 and "Traceback" not in r.err
    assert not typo.exists()


def test_usage_errors_exit_1_without_a_traceback(squall):
    for argv in (
        ("task", "bogus"),
        ("task", "start"),
        ("nosuchcommand",),
        ("task", "list", "--bad-option"),
    ):
        r = squall(*argv)
        assert r.code == 1, argv
        assert "Traceback" not in r.err and "Error" in r.err, argv
