"""``squall task validate --cloud ...``: the clouds a task's workloads name, checked
against the clouds given (read from clouds.yaml; none is contacted)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from squall.cli.task import app
from squall.errors import TaskError

runner = CliRunner()

CLOUDS_YAML = """\
clouds:
  east: {auth: {auth_url: "http://127.0.0.1:9/v3", username: u, password: p, project_name: x}}
  west:
    region_name: Two
    auth: {auth_url: "http://127.0.0.1:9/v3", username: u, password: p, project_name: x}
"""

TASK = """\
squall: 1
title: t
subtasks:
  - title: s
    workloads:
      - scenario: Dummy.dummy
        contexts: {cloud: %s}
"""


@pytest.fixture
def task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config = tmp_path / "clouds.yaml"
    config.write_text(CLOUDS_YAML)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(config))

    def write(cloud: str) -> str:
        path = tmp_path / "task.yaml"
        path.write_text(TASK % cloud)
        return str(path)

    return write


def test_with_clouds_the_workloads_are_counted_per_cloud(task):
    result = runner.invoke(app, ["validate", task("all"), "--cloud", "east", "--cloud", "west"])
    assert result.exit_code == 0, result.output
    assert "1 subtask(s), 2 workload(s) on east, west/Two (squall format)" in result.output


def test_without_clouds_only_the_form_is_checked(task):
    result = runner.invoke(app, ["validate", task("[east, north]")])
    assert result.exit_code == 0, result.output
    assert "1 workload(s) (squall format)" in result.output


def test_a_cloud_not_given_is_an_error_with_its_line_and_the_clouds(task):
    path = task("[east, north]")
    result = runner.invoke(app, ["validate", path, "--cloud", "east"])
    assert isinstance(result.exception, TaskError)
    (problem,) = result.exception.problems
    assert str(problem) == (
        f"{path}:7: subtasks[0].workloads[0].contexts.cloud[1]: unknown cloud 'north' "
        "(this run has: east)"
    )
