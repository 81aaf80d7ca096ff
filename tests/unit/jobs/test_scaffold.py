"""init_jobs on fixture repositories: files, re-runs, --force, --dry-run, formats."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from squall.errors import ConfigError
from squall.jobs.files import Action
from squall.jobs.scaffold import InitOptions, init_jobs
from squall.plugins.loader import load_registry
from squall.task.loader import load_task
from squall.task.validate import validate_task

Repo = Callable[[str], Path]
GENERATED = [
    "rally-jobs/README.rst",
    "rally-jobs/task-nova.yaml",
    "rally-jobs/plugins/__init__.py",
    "rally-jobs/plugins/README.rst",
    "rally-jobs/extra/README.rst",
    ".zuul.yaml",
]


def actions(result: object) -> dict[str, Action]:
    return {str(f.path): f.action for f in result.files}  # type: ignore[attr-defined]


def test_nova_gets_every_file(repo: Repo) -> None:
    root = repo("nova")
    result = init_jobs(root, InitOptions())
    assert list(actions(result)) == GENERATED
    assert actions(result)[".zuul.yaml"] is Action.UPDATE
    for rel in GENERATED:
        assert (root / rel).is_file()
    assert result.job == "nova-rally-task"
    zuul = (root / ".zuul.yaml").read_text()
    assert "rally_task: rally-jobs/task-nova.yaml" in zuul
    assert "# Please try to keep the list of job names sorted alphabetically." in zuul
    readme = (root / "rally-jobs/README.rst").read_text()
    assert "NovaServers.boot_and_delete_server" in readme


def test_rerun_changes_nothing(repo: Repo) -> None:
    root = repo("nova")
    init_jobs(root, InitOptions())
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    again = init_jobs(root, InitOptions())
    assert set(actions(again).values()) == {Action.UNCHANGED}
    assert not again.changed
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_edited_file_is_kept_unless_forced(repo: Repo) -> None:
    root = repo("nova")
    init_jobs(root, InitOptions())
    task = root / "rally-jobs/task-nova.yaml"
    task.write_text(task.read_text() + "# my own tuning\n")
    kept = init_jobs(root, InitOptions())
    assert actions(kept)["rally-jobs/task-nova.yaml"] is Action.KEPT
    assert task.read_text().endswith("# my own tuning\n")
    forced = init_jobs(root, InitOptions(force=True))
    assert actions(forced)["rally-jobs/task-nova.yaml"] is Action.OVERWRITE
    assert "# my own tuning" not in task.read_text()


def test_dry_run_writes_nothing(repo: Repo) -> None:
    root = repo("nova")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = init_jobs(root, InitOptions(dry_run=True))
    assert result.changed
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_no_zuul(repo: Repo) -> None:
    root = repo("cinder")
    result = init_jobs(root, InitOptions(zuul=False))
    assert ".zuul.yaml" not in actions(result)
    assert not (root / ".zuul.yaml").exists()


def test_repo_without_zuul_config_gets_one(repo: Repo) -> None:
    root = repo("cinder")
    result = init_jobs(root, InitOptions())
    assert actions(result)[".zuul.yaml"] is Action.CREATE
    assert "- cinder-rally-task" in (root / ".zuul.yaml").read_text()


def test_zuul_d_layout_is_merged_where_the_project_is(repo: Repo) -> None:
    root = repo("neutron")
    result = init_jobs(root, InitOptions())
    assert actions(result)["zuul.d/project.yaml"] is Action.UPDATE
    assert (root / "zuul.d/base.yaml").read_text() == (
        Path(__file__).resolve().parents[2] / "data/repos/neutron/zuul.d/base.yaml"
    ).read_text()


@pytest.mark.parametrize("fmt", ["rally", "squall"])
@pytest.mark.parametrize("name", ["nova", "neutron", "cinder", "glance", "keystone", "swift"])
def test_generated_tasks_validate(repo: Repo, name: str, fmt: str) -> None:
    root = repo(name)
    init_jobs(root, InitOptions(fmt=fmt))  # type: ignore[arg-type]
    task = validate_task(load_task(root / f"rally-jobs/task-{name}.yaml"), load_registry())
    assert task.workloads


def test_squall_format_job(repo: Repo) -> None:
    root = repo("cinder")
    result = init_jobs(root, InitOptions(fmt="squall"))
    assert result.job == "cinder-squall-task"
    assert (root / "rally-jobs/task-cinder.yaml").read_text().count("squall: 1") == 1
    assert "squall_task: rally-jobs/task-cinder.yaml" in (root / ".zuul.yaml").read_text()


def test_unparsable_zuul_writes_nothing(repo: Repo) -> None:
    root = repo("nova")
    (root / ".zuul.yaml").write_text("- job:\n    name: [oops\n")
    with pytest.raises(ConfigError, match=r"\.zuul\.yaml:\d+: cannot parse"):
        init_jobs(root, InitOptions())
    assert not (root / "rally-jobs").exists()


def test_library_writes_nothing(repo: Repo) -> None:
    root = repo("oslo.cache")
    with pytest.raises(ConfigError):
        init_jobs(root, InitOptions())
    assert not (root / "rally-jobs").exists()


def test_a_crlf_zuul_file_keeps_its_line_endings(repo: Repo) -> None:
    root = repo("nova")
    path = root / ".zuul.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    init_jobs(root, InitOptions())
    data = path.read_bytes()
    assert b"- nova-rally-task\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert not init_jobs(root, InitOptions()).changed


def test_a_zuul_file_without_project_gets_one_and_keeps_its_anchors(repo: Repo) -> None:
    root = repo("glance")
    old = (root / ".zuul.yaml").read_text()
    init_jobs(root, InitOptions())
    text = (root / ".zuul.yaml").read_text()
    assert text.startswith(old)
    assert text.endswith("- project:\n    check:\n      jobs:\n        - glance-rally-task\n")


def test_a_project_with_only_templates_gets_a_check_pipeline(repo: Repo) -> None:
    root = repo("keystone")
    old = (root / ".zuul.yaml").read_text().splitlines()
    init_jobs(root, InitOptions(fmt="squall"))
    text = (root / ".zuul.yaml").read_text()
    assert "- project:\n    check:\n      jobs:\n        - keystone-squall-task\n" in text
    remaining = iter(text.splitlines())
    assert all(any(line == new for new in remaining) for line in old)  # every line, in order


def job_vars(root: Path, job: str) -> dict[str, object]:
    from squall.jobs.zuul import parse

    data = parse((root / ".zuul.yaml").read_text(), ".zuul.yaml")
    return dict(next(i["job"]["vars"] for i in data if "job" in i and i["job"]["name"] == job))


@pytest.mark.parametrize(
    ("fmt", "plugins"),
    [
        ("rally", {"rally-openstack", "heat"}),
        ("squall", {"heat"}),
    ],
)
def test_a_service_outside_devstacks_defaults_enables_its_plugin(
    repo: Repo, fmt: str, plugins: set[str]
) -> None:
    root = repo("oslo.cache")
    result = init_jobs(root, InitOptions(service="heat", fmt=fmt))  # type: ignore[arg-type]
    enabled = job_vars(root, result.job)["devstack_plugins"]
    assert isinstance(enabled, dict) and set(enabled) == plugins
    assert enabled["heat"] == "https://opendev.org/openstack/heat"


def test_devstacks_default_services_need_no_plugin(repo: Repo) -> None:
    root = repo("nova")
    init_jobs(root, InitOptions(fmt="squall"))
    assert "devstack_plugins" not in job_vars(root, "nova-squall-task")
