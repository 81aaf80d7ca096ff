"""The task `squall init-jobs` generates for a nova-like repository runs on the devcloud."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from squall.jobs.catalogue import load_catalogue
from squall.jobs.scaffold import InitOptions, init_jobs

pytestmark = [pytest.mark.integration, pytest.mark.devcloud, pytest.mark.slow]
REPOS = Path(__file__).resolve().parents[2] / "data" / "repos"


@pytest.mark.parametrize("fmt", ["rally"])
def test_generated_nova_task_runs_and_passes(squall, cloud, tmp_path: Path, fmt: str) -> None:
    root = tmp_path / "nova"
    shutil.copytree(REPOS / "nova", root)
    init_jobs(root, InitOptions(fmt=fmt))  # type: ignore[arg-type]
    task = root / "rally-jobs" / "task-nova.yaml"
    before = cloud.snapshot()
    result = squall(
        "task",
        "start",
        str(task),
        "--cloud",
        "devcloud",
        "--task-args",
        "{flavor_name: m1.nano}",
        timeout=1800,
    )
    assert result.code == 0, result.out + result.err
    assert "every SLA passed" in result.out
    assert not cloud.leaked(before, result.run_id, squall.db)
    # the per-atomic SLA criteria judged actions that really ran (not vacuously true)
    exported = squall("task", "results", result.run_id)
    assert exported.code == 0, exported.err
    text = json.dumps(json.loads(exported.out))
    nova = load_catalogue().get("nova")
    for atomic in {a for op in nova.operations for a in op.atomics}:
        assert f'"{atomic}"' in text, atomic
