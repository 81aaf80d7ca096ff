"""`squall db upgrade|info` on real databases (the typer app the root CLI mounts)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from typer.testing import CliRunner

from squall.cli.db import app
from squall.errors import StoreError
from squall.results import migrate
from squall.results.store import Store
from squall.testing.records import make_env, make_task, workload

pytestmark = pytest.mark.integration


def test_upgrade_creates_then_finds_nothing_to_do(tmp_path: Path) -> None:
    db = str(tmp_path / "squall.db")
    first = CliRunner().invoke(app, ["upgrade", "--db", db])
    assert first.exit_code == 0, first.output
    assert f"created, schema {migrate.head()}" in first.output
    again = CliRunner().invoke(app, ["upgrade", "--db", db])
    assert "already up to date" in again.output


def test_info_counts_what_is_stored(store_url: str) -> None:
    with Store.open(store_url) as store:
        run_id = store.create_run(make_task(), make_env(), [])
        wid = store.add_workload(run_id, 0, 0, "s", make_task().subtasks[0].workloads[0])
        store.add_iterations(wid, workload(2500))
    result = CliRunner().invoke(app, ["info"], env={"SQUALL_DB_URL": store_url})
    assert result.exit_code == 0, result.output
    lines = {
        line.split()[0]: line.split()[1:] for line in result.output.splitlines() if line.strip()
    }
    assert lines["schema"] == [migrate.head()]
    assert lines["runs"] == ["1"]
    assert lines["iterations"][:3] == ["2500", "in", "2"]
    assert "***" in lines["url"][0] or lines["backend"] == ["sqlite"]


def test_info_on_an_old_schema_says_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # what the first squall left: revision 0001
        migrate.upgrade(conn, "0001")
    engine.dispose()
    result = CliRunner().invoke(app, ["info", "--db", str(path)])
    assert "run `squall db upgrade`" in " ".join(result.output.split())
    upgraded = CliRunner().invoke(app, ["upgrade", "--db", str(path)])
    assert f"upgraded schema 0001 -> {migrate.head()}" in upgraded.output


def test_a_bad_database_is_a_squall_error_for_the_root_cli(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    path.write_text("not sqlite\n" * 100)
    result = CliRunner().invoke(app, ["info", "--db", str(path)])
    assert result.exit_code != 0
    assert isinstance(result.exception, StoreError)
    assert "not a squall database" in str(result.exception)


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("notes.db", "not a squall database"),
        ("no/such/dir/x.db", "there is no results database"),
        ("postgresql://squall:hunter2@127.0.0.1:1/x", "cannot be reached"),
    ],
)
def test_the_squall_command_explains_a_bad_database_in_one_message(
    tmp_path: Path, db: str, message: str
) -> None:
    (tmp_path / "notes.db").write_text("my notes\n" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "squall", "db", "info", "--db", db],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    stderr = " ".join(result.stderr.split())  # rich wraps long lines
    assert message in stderr and "hint:" in stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "hunter2" not in result.stderr


def test_info_creates_no_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["info", "--db", str(tmp_path / "typo.db")])
    assert isinstance(result.exception, StoreError)
    assert "there is no results database" in str(result.exception)
    assert not (tmp_path / "typo.db").exists()
