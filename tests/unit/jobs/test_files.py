"""Plans and all-or-nothing writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from squall.errors import ConfigError
from squall.jobs.files import Action, PlannedFile, plan, write_all


def test_plan_create_unchanged_kept_overwrite(tmp_path: Path) -> None:
    rel = Path("a.txt")
    assert plan(tmp_path, rel, "x", force=False).action is Action.CREATE
    (tmp_path / rel).write_text("x")
    assert plan(tmp_path, rel, "x", force=False).action is Action.UNCHANGED
    (tmp_path / rel).write_text("edited")
    kept = plan(tmp_path, rel, "x", force=False)
    assert kept.action is Action.KEPT and kept.text == "edited"
    assert plan(tmp_path, rel, "x", force=True).action is Action.OVERWRITE


def test_write_all_creates_folders_and_files(tmp_path: Path) -> None:
    files = [
        PlannedFile(Path("d/e/f.txt"), "one", Action.CREATE),
        PlannedFile(Path("g.txt"), "two", Action.CREATE),
        PlannedFile(Path("h.txt"), "skipped", Action.KEPT),
    ]
    write_all(tmp_path, files)
    assert (tmp_path / "d/e/f.txt").read_text() == "one"
    assert (tmp_path / "g.txt").read_text() == "two"
    assert not (tmp_path / "h.txt").exists()
    assert sorted(p.name for p in tmp_path.rglob("*.tmp")) == []


def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_text("old")
    target.chmod(0o755)
    write_all(tmp_path, [PlannedFile(Path("run.sh"), "new", Action.OVERWRITE)])
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o755


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_unwritable_folder_writes_nothing_as_non_root(tmp_path: Path) -> None:
    _unwritable_case(tmp_path)


def test_unwritable_target_writes_nothing(tmp_path: Path) -> None:
    """A path blocked by a file (works for root too): nothing is written, no folder left."""
    (tmp_path / "rally-jobs").write_text("a file where a folder must go")
    files = [
        PlannedFile(Path("README.rst"), "top", Action.CREATE),
        PlannedFile(Path("rally-jobs/plugins/x.py"), "x", Action.CREATE),
    ]
    with pytest.raises(ConfigError, match="cannot write") as err:
        write_all(tmp_path, files)
    assert err.value.hint is not None and "nothing was written" in err.value.hint
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rally-jobs"]


def _unwritable_case(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        files = [
            PlannedFile(Path("first.txt"), "1", Action.CREATE),
            PlannedFile(Path("ro/second.txt"), "2", Action.CREATE),
        ]
        with pytest.raises(ConfigError, match="cannot write"):
            write_all(tmp_path, files)
        assert not (tmp_path / "first.txt").exists()
        assert list(tmp_path.glob(".*.tmp")) == []
    finally:
        folder.chmod(0o755)
