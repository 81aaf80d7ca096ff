"""The playbooks of a ``--format squall`` job: well formed, consistent with each other,
with the Zuul job that names them, and with squall's own command line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from squall.cli.task import app as task_app
from squall.jobs.playbooks import PLAYBOOK_DIR, POST_RUN, RUN, playbook_files
from squall.jobs.scaffold import InitOptions, init_jobs
from squall.jobs.zuul import parse
from squall.plugins.families import Family
from squall.plugins.loader import load_registry

Repo = Callable[[str], Path]
FILES = playbook_files()
VARS: dict[str, Any] = yaml.safe_load(FILES[PLAYBOOK_DIR / "vars.yaml"])
USED = re.compile(r"\b(squall_run_\w+)")


def plays(path: Path) -> list[dict[str, Any]]:
    loaded = yaml.safe_load(FILES[path])
    assert isinstance(loaded, list)
    return loaded


def tasks(path: Path) -> list[dict[str, Any]]:
    """Every task of the playbook, blocks flattened."""
    found: list[dict[str, Any]] = []
    pending = [t for play in plays(path) for t in play.get("tasks", [])]
    while pending:
        task = pending.pop(0)
        found.append(task)
        pending[:0] = task.get("block", [])
    return found


def squall_argvs(path: Path) -> list[list[str]]:
    argvs = []
    for task in tasks(path):
        argv = task.get("ansible.builtin.command", {}).get("argv")
        if argv and argv[0] == "{{ squall_run_bin }}":
            argvs.append(argv[1:])
    return argvs


def test_the_job_gets_three_files_under_playbooks_squall() -> None:
    assert sorted(FILES) == sorted(
        [PLAYBOOK_DIR / "run.yaml", PLAYBOOK_DIR / "post.yaml", PLAYBOOK_DIR / "vars.yaml"]
    )


def test_run_deploys_devstack_before_running_squall_on_the_controller() -> None:
    first, second = plays(RUN)
    assert first == {"hosts": "all", "roles": ["orchestrate-devstack"]}
    assert second["hosts"] == "controller"
    assert second["vars_files"] == ["vars.yaml"]
    names = [t["name"] for t in tasks(RUN)]
    assert names.index("Install squall") < names.index("Run the task")
    assert names[-1] == "Judge the run by squall's exit code"


def test_the_run_never_fails_before_the_reports_are_written() -> None:
    run = next(t for t in tasks(RUN) if t["name"] == "Run the task")
    assert run["failed_when"] is False
    assert run["register"] == "squall_run"
    verdict = tasks(RUN)[-1]
    assert verdict["when"] == "squall_run.rc != 0"
    assert "an SLA criterion failed" in verdict["ansible.builtin.fail"]["msg"]


@pytest.mark.parametrize("path", [RUN, POST_RUN])
def test_every_setting_the_playbooks_use_is_defined_in_vars(path: Path) -> None:
    used = set(USED.findall(FILES[path])) - {"squall_run"}  # the registered result
    assert used
    assert used <= set(VARS)


def test_every_setting_reads_a_job_variable_with_a_default_except_the_task() -> None:
    documented = set(re.findall(r"^#\s+(squall_\w+)\s", FILES[PLAYBOOK_DIR / "vars.yaml"], re.M))
    read = {
        name for value in VARS.values() for name in re.findall(r"\b(squall_[a-z_]+)\b", str(value))
    }
    assert documented <= read
    for name in documented - {"squall_task"}:
        assert re.search(rf"{name} \| default\(", FILES[PLAYBOOK_DIR / "vars.yaml"]), name


def test_squall_commands_in_the_playbooks_exist_with_their_options() -> None:
    commands = typer.main.get_command(task_app).commands  # type: ignore[attr-defined]
    argvs = squall_argvs(RUN) + squall_argvs(POST_RUN)
    assert {tuple(a[:2]) for a in argvs} == {
        ("task", "start"),
        ("task", "report"),
        ("task", "export"),
    }
    for argv in argvs:
        options = {o for p in commands[argv[1]].params for o in p.opts}
        given = {a for a in argv[2:] if a.startswith("--")}
        assert given <= options, (argv, given - options)


def test_exports_are_squall_exporters() -> None:
    exporters = set(load_registry().names(Family.EXPORTER))
    assert set(VARS["squall_run_exports"].values()) <= exporters


def test_post_run_links_the_report_on_the_build_page() -> None:
    last = plays(POST_RUN)[-1]
    assert last["hosts"] == "localhost"
    artifact = last["tasks"][0]["zuul_return"]["data"]["zuul"]["artifacts"][0]
    assert artifact["url"] == "squall/report.html"
    assert VARS["squall_run_results"].strip().endswith("'/zuul-output/logs/squall') }}")


def test_squall_format_writes_the_playbooks_and_a_job_that_runs_them(repo: Repo) -> None:
    root = repo("keystone")
    result = init_jobs(root, InitOptions(fmt="squall"))
    written = {str(f.path) for f in result.files}
    assert {str(p) for p in FILES} <= written
    for rel, text in FILES.items():
        assert (root / rel).read_text() == text
    data = parse((root / ".zuul.yaml").read_text(), ".zuul.yaml")
    job = next(i["job"] for i in data if "job" in i and i["job"]["name"] == result.job)
    assert job["parent"] == "devstack"
    assert job["roles"] == [{"zuul": "openstack/devstack"}]
    assert (root / job["run"]).is_file() and (root / job["post-run"]).is_file()
    assert job["vars"]["squall_task"] == "rally-jobs/task-keystone.yaml"
    assert (root / job["vars"]["squall_plugin_path"]).is_dir()
    assert job["vars"]["squall_install"] == "squall[openstack]"


def test_a_rerun_changes_no_playbook_and_an_edited_one_is_kept(repo: Repo) -> None:
    root = repo("keystone")
    init_jobs(root, InitOptions(fmt="squall"))
    again = {str(f.path): f.action.value for f in init_jobs(root, InitOptions(fmt="squall")).files}
    assert set(again.values()) == {"unchanged"}
    run = root / RUN
    run.write_text(run.read_text() + "# our own step\n")
    kept = {str(f.path): f.action.value for f in init_jobs(root, InitOptions(fmt="squall")).files}
    assert kept[str(RUN)] == "kept"
    assert run.read_text().endswith("# our own step\n")


@pytest.mark.parametrize(
    "options", [InitOptions(fmt="rally"), InitOptions(fmt="squall", zuul=False)]
)
def test_no_playbooks_without_a_squall_zuul_job(repo: Repo, options: InitOptions) -> None:
    root = repo("glance")
    init_jobs(root, options)
    assert not (root / "playbooks").exists()
