"""A real ``squall task start`` against the devcloud succeeds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

SQUALL = Path(sys.executable).with_name("squall")

TASK = """\
squall: 1
title: devcloud smoke
subtasks:
  - title: authenticate
    workloads:
      - scenario: {scenario}
        runner: {type: constant, times: 6, concurrency: 2}
        sla:
          failure_rate: {max: 0}
"""


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SQUALL), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def _missing_pieces(scenario: str) -> list[str]:
    missing = []
    if _run("plugins", "show", scenario).returncode != 0:
        missing.append(f"the {scenario} scenario is not registered")
    if "--cloud" not in _run("task", "start", "--help").stdout:
        missing.append("`squall task start` has no --cloud option")
    return missing


@pytest.mark.parametrize("scenario", ["Authenticate.keystone", "Authenticate.validate_nova"])
def test_task_start_succeeds(devcloud, tmp_path, scenario):
    missing = _missing_pieces(scenario)
    if missing:
        pytest.skip("core not there yet: " + "; ".join(missing))
    task = tmp_path / "auth.yaml"
    task.write_text(TASK.replace("{scenario}", scenario))
    db = f"sqlite:///{tmp_path / 'squall.db'}"
    out = _run("task", "start", str(task), "--cloud", "devcloud", "--db", db, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
