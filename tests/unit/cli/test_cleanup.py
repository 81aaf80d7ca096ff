"""``squall cleanup --run``: the faults a run left active are undone from the journal it
wrote, wherever the run is stored (``--db``) and whatever the current directory and
``$SQUALL_FAULT_JOURNAL`` are now. No cloud: the run journaled no cloud resource."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from squall.api.environment import current_environment
from squall.api.fault_journals import environment_extra
from squall.cli.cleanup import app
from squall.disruptors.actions import RunCommand
from squall.disruptors.journal import ENV_VAR, FaultJournal
from squall.hosts.inventory import Host
from squall.plugins.loader import load_registry
from squall.results.store import Store
from squall.task.loader import load_text
from squall.task.validate import validate_task

runner = CliRunner()

TASK = """\
squall: 1
title: faults
resilience:
  journal: faults.jsonl
  disruptions:
    - process: {name: squall-no-such-process, action: kill}
      at: 60
subtasks:
  - title: s
    workloads:
      - scenario: Dummy.dummy
"""


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, Path]:
    """A run stored in a store of its own, started from ``run/`` with the journal it
    names there, left with one fault active (squall killed mid-fault); returns the
    store URL, the run id and the file the fault's undo creates."""
    workdir = tmp_path / "run"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    task = validate_task(load_text(TASK, "t.yaml"), load_registry())
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'squall.db'}"
    (tmp_path / "elsewhere").mkdir()
    with Store.open(url) as store:
        env = current_environment(extra=environment_extra(task))
        run_id = store.create_run(task.task, env, [])
    marker = tmp_path / "undone"
    undo = RunCommand(host=Host(name="localhost"), argv=("touch", str(marker)))
    FaultJournal(workdir / "faults.jsonl").begin(
        run_id=run_id, disruptor="process:freeze", target="localhost", undo=[undo]
    )
    monkeypatch.chdir(tmp_path)  # the operator cleans from elsewhere,
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "other.jsonl"))  # with another default
    return url, run_id, marker


def test_cleanup_undoes_the_faults_in_the_journal_the_run_recorded(stored, tmp_path):
    url, run_id, marker = stored
    result = runner.invoke(app, ["--run", run_id[:8], "--db", url])
    assert result.exit_code == 0, result.output
    assert "undone process:freeze on localhost" in result.output
    assert marker.exists()
    assert FaultJournal(tmp_path / "run" / "faults.jsonl").pending() == []
    assert "the journal of this store has no resource of it left" in result.output


def test_a_dry_run_says_what_it_would_undo_and_does_nothing(stored, tmp_path):
    url, run_id, marker = stored
    result = runner.invoke(app, ["--run", run_id[:8], "--db", url, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would undo process:freeze on localhost" in result.output
    assert f"touch {marker}" in result.output
    assert not marker.exists()
    assert len(FaultJournal(tmp_path / "run" / "faults.jsonl").pending()) == 1


def test_without_the_runs_store_only_the_default_journal_is_read(stored, tmp_path):
    _, run_id, marker = stored
    other = f"sqlite:///{tmp_path / 'empty.db'}"
    result = runner.invoke(app, ["--run", run_id, "--db", other])
    assert result.exit_code == 0, result.output
    assert not marker.exists()
    assert len(FaultJournal(tmp_path / "run" / "faults.jsonl").pending()) == 1
