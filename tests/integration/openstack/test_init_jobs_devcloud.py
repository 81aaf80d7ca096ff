"""What `squall init-jobs` generates runs on the devcloud and passes.

Each fixture repository's task (nova-, neutron-, cinder-, glance- and keystone-like)
runs unchanged with `squall task start`. The `--format squall` job's playbooks run
with ansible-playbook against this host, the devcloud standing in for DevStack: the
first play of run.yaml (DevStack's own role) and the last of post.yaml (Zuul's
`zuul_return`) only exist inside Zuul and are left out; every other task runs as
generated, including its verdict on squall's exit code.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

from squall.jobs.catalogue import load_catalogue
from squall.jobs.playbooks import POST_RUN, RUN
from squall.jobs.scaffold import InitOptions, init_jobs

from .conftest import CLOUD, CloudState, Squall

pytestmark = [pytest.mark.integration, pytest.mark.devcloud, pytest.mark.slow]
REPOS = Path(__file__).resolve().parents[2] / "data" / "repos"
# The devcloud's smallest flavor; glance uploads a local image (this host has no network).
TASK_ARGS: dict[str, dict[str, str]] = {"nova": {"flavor_name": "m1.nano"}}
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"


def generate(tmp_path: Path, name: str, fmt: str) -> Path:
    root = tmp_path / name
    shutil.copytree(REPOS / name, root)
    init_jobs(root, InitOptions(fmt=fmt))  # type: ignore[arg-type]
    return root


def tiny_qcow2(path: Path) -> Path:
    """An empty 1 MiB qcow2 (version 3) image: the task says disk_format qcow2 and
    glance checks that the data it is given is one."""
    cluster = 1 << 9
    header = struct.pack(
        ">4sIQIIQIIQQIIQQQQII",
        *(b"QFI\xfb", 3, 0, 0, 9, 1 << 20, 0, 1, 3 * cluster, cluster, 1, 0, 0),
        *(0, 0, 0, 4, 104),  # features, refcount order, header length
    )
    path.write_bytes(header.ljust(4 * cluster, b"\0"))
    return path


def atomics_of(name: str) -> set[str]:
    return {a for op in load_catalogue().get(name).operations for a in op.atomics}


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("nova", "rally"),
        ("nova", "squall"),
        ("neutron", "squall"),
        ("cinder", "squall"),
        ("glance", "squall"),
        ("keystone", "squall"),
    ],
)
def test_generated_task_runs_and_passes(
    squall: Squall, cloud: CloudState, tmp_path: Path, name: str, fmt: str
) -> None:
    root = generate(tmp_path, name, fmt)
    task = root / "rally-jobs" / f"task-{name}.yaml"
    args = dict(TASK_ARGS.get(name, {}))
    if name == "glance":
        args["image_location"] = str(tiny_qcow2(tmp_path / "tiny.qcow2"))
    before = cloud.snapshot()
    result = squall(
        "task",
        "start",
        str(task),
        "--cloud",
        CLOUD,
        "--task-args",
        json.dumps(args),
        "--plugin-path",
        str(root / "rally-jobs" / "plugins"),
        timeout=1800,
    )
    assert result.code == 0, result.out + result.err
    assert "every SLA passed" in result.out
    assert not cloud.leaked(before, result.run_id, squall.db)
    # the per-atomic SLA criteria judged actions that really ran (not vacuously true)
    exported = squall("task", "results", result.run_id)
    assert exported.code == 0, exported.err
    text = json.dumps(json.loads(exported.out))
    for atomic in atomics_of(name):
        assert f'"{atomic}"' in text, atomic


class Playbooks:
    """The generated playbooks run by ansible-playbook on this host, as Zuul would."""

    def __init__(self, root: Path, workdir: Path) -> None:
        self.root = root
        self.results = workdir / "logs" / "squall"
        self.home = workdir / "ansible"
        self.inventory = workdir / "inventory"
        self.inventory.write_text(
            f"controller ansible_connection=local ansible_python_interpreter={sys.executable}\n"
        )
        self.local_copy(RUN, drop_first=True)
        self.local_copy(POST_RUN, drop_last=True)

    def local_copy(self, rel: Path, *, drop_first: bool = False, drop_last: bool = False) -> None:
        plays: list[dict[str, Any]] = yaml.safe_load((self.root / rel).read_text())
        if drop_first:
            assert plays.pop(0)["roles"] == ["orchestrate-devstack"]
        if drop_last:
            assert "zuul_return" in plays.pop()["tasks"][0]
        target = self.root / rel.with_name(f"local-{rel.name}")
        target.write_text(yaml.safe_dump(plays, sort_keys=False))

    def extra_vars(self, task: str) -> dict[str, Any]:
        """The job's vars from .zuul.yaml, plus what Zuul and DevStack would provide."""
        return {
            "zuul": {"job": f"{self.root.name}-squall-task", "project": {"short_name": "x"}},
            "squall_task": task,
            "squall_project_dir": str(self.root),
            "squall_cloud": CLOUD,
            "squall_user": "root",
            "squall_results_dir": str(self.results),
            # squall is already in this interpreter's venv: the install step checks it
            "squall_venv": sys.prefix,
            "squall_install": "squall",
        }

    def play(self, rel: Path, task: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "ANSIBLE_HOME": str(self.home),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
        }
        env.pop("SQUALL_DB_URL", None)
        argv = [str(ANSIBLE_PLAYBOOK), "-i", str(self.inventory)]
        argv += ["-e", json.dumps(self.extra_vars(task))]
        argv.append(str(self.root / rel.with_name(f"local-{rel.name}")))
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=1800)


@pytest.fixture
def playbooks(tmp_path: Path) -> Playbooks:
    if not ANSIBLE_PLAYBOOK.exists():
        pytest.skip("ansible-playbook is not installed (pip install ansible-core)")
    return Playbooks(generate(tmp_path, "keystone", "squall"), tmp_path)


def junit_counts(path: Path) -> dict[str, str]:
    suite = ElementTree.parse(path).getroot().find("testsuite")
    assert suite is not None
    return {k: suite.attrib[k] for k in ("tests", "failures", "errors")}


def test_the_squall_job_playbooks_run_the_task_and_keep_the_reports(
    playbooks: Playbooks, cloud: CloudState, squall: Squall
) -> None:
    before = cloud.snapshot()
    run = playbooks.play(RUN, "rally-jobs/task-keystone.yaml")
    assert run.returncode == 0, run.stdout + run.stderr
    results = playbooks.results
    output = (results / "squall-task.txt").read_text()
    assert "every SLA passed" in output
    assert junit_counts(results / "junit.xml") == {"tests": "4", "failures": "0", "errors": "0"}
    assert json.loads((results / "results.json").read_text())
    assert (results / "report.html").read_text().lstrip().startswith("<!DOCTYPE html>")
    run_id = output.split("Run ", 1)[1].split(" ", 1)[0]
    assert not cloud.leaked(before, run_id, results / "squall.db")

    post = playbooks.play(POST_RUN, "rally-jobs/task-keystone.yaml")
    assert post.returncode == 0, post.stdout + post.stderr
    assert (results / "task-keystone.yaml").read_text() == (
        playbooks.root / "rally-jobs" / "task-keystone.yaml"
    ).read_text()
    assert all(p.stat().st_mode & 0o004 for p in results.iterdir())  # Zuul may read them


FAILING_TASK = """\
version: 2
title: an SLA no cloud meets
subtasks:
  - title: one token, judged too slow
    workloads:
      - scenario: {Authenticate.keystone: {}}
        runner: {constant: {times: 2, concurrency: 1}}
        contexts: {users: {tenants: 1, users_per_tenant: 1}}
        sla: {max_avg_duration_per_atomic: {authenticate.keystone: 0.000001}}
"""


def test_a_failed_sla_fails_the_job_and_the_reports_are_still_written(
    playbooks: Playbooks, squall: Squall
) -> None:
    (playbooks.root / "rally-jobs" / "too-strict.yaml").write_text(FAILING_TASK)
    run = playbooks.play(RUN, "rally-jobs/too-strict.yaml")
    assert run.returncode != 0
    assert "squall task start exited with 2: an SLA criterion failed" in run.stdout
    assert junit_counts(playbooks.results / "junit.xml")["failures"] == "1"
    assert (playbooks.results / "report.html").is_file()


def test_a_task_that_cannot_run_fails_the_job_without_reports(
    playbooks: Playbooks, squall: Squall
) -> None:
    run = playbooks.play(RUN, "rally-jobs/no-such-task.yaml")
    assert run.returncode != 0
    assert "squall task start exited with 1: the task could not run" in run.stdout
    assert "no-such-task.yaml" in (playbooks.results / "squall-task.txt").read_text()
    assert not (playbooks.results / "report.html").exists()
