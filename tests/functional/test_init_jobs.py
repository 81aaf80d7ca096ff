"""`squall init-jobs` end to end on repository trees laid out like real projects."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from .conftest import Squall

REPOS = Path(__file__).resolve().parents[1] / "data" / "repos"

# Mounts the command if the root CLI does not have it yet (cli/main.py mounts it with
# init_jobs.register(app)); a no-op once it does.
BOOT = """\
import sys
from squall.cli import init_jobs, stress
from squall.cli.main import app, main
names = {c.name for c in app.registered_commands}
if "init-jobs" not in names:
    init_jobs.register(app)
if "stress" not in names:
    stress.register(app)
main(sys.argv[1:])
"""


class Cli(Squall):
    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-c", BOOT, *args]


@pytest.fixture
def cli(squall: Squall) -> Cli:
    return Cli(squall.db_url, squall.workdir)


def copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / "repos" / name
    shutil.copytree(REPOS / name, target)
    return target


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["rally", "squall"])
@pytest.mark.parametrize("name", ["nova", "neutron", "cinder", "swift"])
def test_generated_tasks_pass_task_validate(cli: Cli, tmp_path: Path, name: str, fmt: str) -> None:
    root = copy(tmp_path, name)
    result = cli("init-jobs", str(root), "--format", fmt)
    assert result.code == 0, result.err
    assert "detected" in result.out
    task = root / "rally-jobs" / f"task-{name}.yaml"
    valid = cli("task", "validate", str(task))
    assert valid.code == 0, valid.err
    assert "Task is valid" in valid.out


def test_nova_prints_what_it_detected_and_why(cli: Cli, tmp_path: Path) -> None:
    root = copy(tmp_path, "nova")
    result = cli("init-jobs", str(root))
    assert result.code == 0, result.err
    out = result.out
    assert "nova: Compute (Nova) (nova) detected" in out
    assert "setup.cfg [metadata] name is 'nova'" in out
    assert "console scripts nova-api" in out
    assert "api-ref/ documents the 'Compute API'" in out
    for rel in (
        "rally-jobs/README.rst",
        "rally-jobs/task-nova.yaml",
        "rally-jobs/plugins/__init__.py",
        "rally-jobs/plugins/README.rst",
        "rally-jobs/extra/README.rst",
    ):
        assert f"create {root / rel}" in out
    assert f"update {root / '.zuul.yaml'}" in out


def test_rerun_changes_nothing_and_says_so(cli: Cli, tmp_path: Path) -> None:
    root = copy(tmp_path, "swift")
    assert cli("init-jobs", str(root)).code == 0
    before = snapshot(root)
    again = cli("init-jobs", str(root))
    assert again.code == 0, again.err
    assert "Nothing to change." in again.out
    assert snapshot(root) == before


def test_edited_files_need_force(cli: Cli, tmp_path: Path) -> None:
    root = copy(tmp_path, "cinder")
    assert cli("init-jobs", str(root)).code == 0
    readme = root / "rally-jobs" / "README.rst"
    readme.write_text("our own words\n")
    kept = cli("init-jobs", str(root))
    assert kept.code == 0
    assert "kept" in kept.out and readme.read_text() == "our own words\n"
    forced = cli("init-jobs", str(root), "--force")
    assert forced.code == 0
    assert "overwrite" in forced.out and "Performance jobs for cinder" in readme.read_text()


def test_dry_run_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    root = copy(tmp_path, "nova")
    before = snapshot(root)
    result = cli("init-jobs", str(root), "--dry-run")
    assert result.code == 0, result.err
    assert "would create" in result.out and "Dry run: nothing written." in result.out
    assert snapshot(root) == before


def test_comment_rich_zuul_file_keeps_all_its_lines(cli: Cli, tmp_path: Path) -> None:
    root = copy(tmp_path, "swift")
    old = (root / ".zuul.yaml").read_text().splitlines()
    assert cli("init-jobs", str(root)).code == 0
    new = (root / ".zuul.yaml").read_text().splitlines()
    remaining = iter(new)
    assert all(any(line == n for n in remaining) for line in old)
    assert len(new) > len(old)


def test_list_services(cli: Cli) -> None:
    result = cli("init-jobs", "--list-services")
    assert result.code == 0, result.err
    for name in ("nova", "neutron", "cinder", "glance", "keystone", "swift", "ironic", "placement"):
        assert name in result.out
    assert "NovaServers.boot_and_delete_server" in result.out
    one = cli("init-jobs", "--list-services", "--service", "ironic")
    assert "none yet" in one.out and "nova" not in one.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{tmp}/missing"], "no such directory"),
        (["{tmp}"], "is not a project repository"),
        (["{repos}/oslo.cache"], "no OpenStack service recognised"),
        (["{repos}/nova", "--service", "novva"], "unknown service 'novva'"),
        (["{repos}/nova", "--format", "heat"], "unknown task format 'heat'"),
        ([], "give the repository's path"),
    ],
)
def test_bad_input_is_one_clear_message(
    cli: Cli, tmp_path: Path, args: list[str], message: str
) -> None:
    copy(tmp_path, "nova")
    copy(tmp_path, "oslo.cache")
    (tmp_path / "empty").mkdir()
    subs = {"tmp": str(tmp_path / "empty"), "repos": str(tmp_path / "repos")}
    result = cli("init-jobs", *(a.format(**subs) for a in args))
    assert result.code == 1
    assert "error:" in result.err and message in result.err.replace("\n", " ")
    assert "Traceback" not in result.err
    assert not (tmp_path / "repos" / "nova" / "rally-jobs").exists()


def test_unparsable_zuul_file_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    root = copy(tmp_path, "nova")
    (root / ".zuul.yaml").write_text("- job:\n    name: nova-x\n  parent: [\n")
    before = snapshot(root)
    result = cli("init-jobs", str(root))
    assert result.code == 1
    assert ".zuul.yaml:" in result.err and "cannot parse the Zuul configuration" in result.err
    assert "Traceback" not in result.err
    assert snapshot(root) == before


def test_unwritable_target_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    root = copy(tmp_path, "nova")
    (root / "rally-jobs").write_text("a file where the folder goes")
    before = snapshot(root)
    result = cli("init-jobs", str(root))
    assert result.code == 1
    assert "cannot write" in result.err and "nothing was written" in result.err
    assert "Traceback" not in result.err
    assert snapshot(root) == before


def test_squall_format_writes_the_job_playbooks(cli: Cli, tmp_path: Path) -> None:
    root = copy(tmp_path, "keystone")
    result = cli("init-jobs", str(root), "--format", "squall")
    assert result.code == 0, result.err
    for name in ("run.yaml", "post.yaml", "vars.yaml"):
        assert f"create {root / 'playbooks' / 'squall' / name}" in result.out
    assert "Zuul job keystone-squall-task" in result.out


def test_plugins_show_names_the_services_a_scenario_is_core_to(cli: Cli) -> None:
    result = cli("plugins", "show", "NovaServers.boot_and_delete_server")
    assert result.code == 0, result.err
    assert "A core operation of nova in the tasks `squall init-jobs` writes" in result.out
    other = cli("plugins", "show", "Dummy.dummy")
    assert other.code == 0, other.err
    assert "init-jobs" not in other.out
