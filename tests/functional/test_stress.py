"""`squall stress` end to end: tests as load with workers, failures reported, runs stored."""

from __future__ import annotations

import json

import pytest

from .conftest import Squall
from .test_init_jobs import Cli

CASES = "tests/data/stress/stress_cases.py"


@pytest.fixture
def cli(squall: Squall) -> Cli:
    c = Cli(squall.db_url, squall.workdir)
    c.env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # workers start faster without them
    return c


def test_passing_tests_with_workers(cli: Cli) -> None:
    result = cli(
        "stress", f"{CASES}::test_passes", f"{CASES}::TestCounted", "--workers", "2", "--times", "8"
    )
    assert result.code == 0, result.err
    assert "2 test(s) collected" in result.out
    assert "8 execution(s): 8 passed, 0 failed, 0 error(s), 0 skipped" in result.out
    assert "TestCounted::test_ok" in result.out  # a row per test in the statistics
    assert "every execution passed the SLA" in result.out


def test_the_sample_module_reports_its_failures(cli: Cli) -> None:
    result = cli("stress", "samples/stress/test_sample.py", "--workers", "3", "--times", "30")
    assert result.code == 2, result.err
    assert "5 test(s) collected" in result.out
    assert "30 execution(s)" in result.out
    assert "error x6: samples/stress/test_sample.py::test_broken_fixture" in result.out
    assert "RuntimeError: this test always errors" in result.out
    assert "tests failed under load" in result.err


def test_marked_tests_for_a_duration(cli: Cli) -> None:
    result = cli(
        "stress",
        "samples/stress/test_sample.py",
        "--marked",
        "--workers",
        "2",
        "--duration",
        "1",
        "--max-failure-rate",
        "100",
        "--class-setup-per",
        "global",
    )
    assert result.code == 0, result.err
    assert "3 test(s) collected" in result.out
    assert "test_not_marked" not in result.out


def test_runs_are_stored_like_any_run(cli: Cli) -> None:
    result = cli("stress", f"{CASES}::test_fails", "--times", "3")
    assert result.code == 2
    assert "failed x3:" in result.out and "assert (1 + 1) == 3" in result.out
    listed = cli("task", "list")
    assert "stress" in listed.out
    exported = cli("task", "results", "last")
    assert exported.code == 0, exported.err
    text = json.dumps(json.loads(exported.out))
    assert "TestFailed" in text and "Python.test" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([f"{CASES}::test_nope"], "cannot run the tests"),
        (["no/such/tests.py"], "cannot run the tests"),
        ([f"{CASES}::test_passes", "--times", "2", "--duration", "1"], "not both"),
        ([f"{CASES}::test_passes", "--marked"], "none marked"),
    ],
)
def test_bad_input_is_one_clear_message(cli: Cli, args: list[str], message: str) -> None:
    result = cli("stress", *args)
    assert result.code == 1
    assert "error:" in result.err and message in result.err.replace("\n", " ")
    assert "Traceback" not in result.err
    assert not (cli.workdir / "squall.db").exists()  # nothing started, nothing stored


def test_python_test_in_a_task_file(cli: Cli) -> None:
    task = cli.task_file(
        "stress.yaml",
        f"""\
squall: 1
title: tests as load from a task file
subtasks:
  - title: stress
    workloads:
      - scenario: Python.test
        args: {{tests: ["{CASES}::test_passes", "{CASES}::TestCounted"]}}
        runner: {{type: constant, times: 10, concurrency: 3}}
      - scenario: Python.test
        args: {{tests: ["{CASES}::test_fails"], class_setup_per: action}}
        runner: {{type: constant, times: 2}}
        sla: {{failure_rate: {{max: 100}}}}
""",
    )
    result = cli("task", "start", task)
    assert result.code == 0, result.out + result.err
    assert "iterations=10 failed=0" in result.out
    assert "iterations=2 failed=2" in result.out
