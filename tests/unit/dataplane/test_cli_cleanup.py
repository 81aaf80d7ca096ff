"""``squall dataplane cleanup``: which run, and the answers that need no cloud and no
namespace (the devcloud test cleans a crashed OpenStack run; tests/integration/dataplane
a crashed netns run)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from squall.cli.dataplane import app
from squall.dataplane.results import RunRecord, write_results
from squall.errors import ConfigError
from squall.results.store import Store

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'squall.db'}"
    Store.open(url).close()
    return url


def _run(workdir: Path, run: str, provider: str, pid: int = 0) -> None:
    record = RunRecord(run, "t", provider, "full", {}, 1.0, pid=pid)
    record.environment = {"host": socket.gethostname()}
    (workdir / run).mkdir(parents=True)
    write_results(record, workdir / run)


def _cleanup(workdir: Path, db: str, *args: str):
    return runner.invoke(app, ["cleanup", *args, "--workdir", str(workdir), "--db", db])


def test_an_unknown_run_is_named_with_where_it_was_looked_for(tmp_path, db):
    result = _cleanup(tmp_path / "work", db, "0123abcd")
    assert result.exit_code == 1
    assert isinstance(result.exception, ConfigError)
    assert result.exception.message == (
        f"no data-plane run matches '0123abcd' in {tmp_path / 'work'} or the results store"
    )
    assert "squall dataplane status" in (result.exception.hint or "")


def test_run_and_the_run_option_are_one_thing(tmp_path, db):
    conflict = _cleanup(tmp_path, db, "aaaa", "--run", "bbbb")
    assert conflict.exit_code == 2
    assert "give RUN or --run, not both" in conflict.output
    _run(tmp_path, "c" * 32, "netns")
    for args in (["cccc"], ["--run", "cccc"], ["cccc", "--run", "cccc"]):
        result = _cleanup(tmp_path, db, *args)
        assert result.exit_code == 0, result.output
        assert result.output.strip() == "removed 0 namespaces"  # a netns run: as before


def test_without_a_run_only_namespaces_are_looked_at(tmp_path, db):
    _run(tmp_path, "d" * 32, "openstack")  # never reached: no RUN, no store, no cloud
    result = runner.invoke(app, ["cleanup", "--dry-run", "--workdir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "dry run: nothing removed"


def test_an_openstack_run_still_running_here_is_refused(tmp_path, db):
    _run(tmp_path, "e" * 32, "openstack", pid=os.getpid())
    result = _cleanup(tmp_path, db, "eeee", "--dry-run")
    assert result.exit_code == 1
    assert isinstance(result.exception, ConfigError)
    assert "is still running" in result.exception.message
    refused = _cleanup(tmp_path, db, "eeee", "--all")
    assert refused.exit_code == 2
    assert "--all is for namespaces" in refused.output
