"""Run one family of scenarios as one task on the devcloud and keep its results.

Each test module builds a task of ``Case``s (one workload each, all in one subtask
run in parallel, so the family costs about as long as its slowest scenario), runs it
once through the real `squall task start`, and asserts per scenario on the
exported results: finished with no failed iteration and Rally's atomic names, or,
for what the devcloud's fake drivers cannot do, failed for exactly that reason.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from squall.openstack.credentials import from_clouds_yaml
from squall.openstack.inventory import discover
from squall.openstack.session import UserSession
from squall.openstack.sweep import matcher

ROOT = Path(__file__).resolve().parents[4]
RUN_LINE = re.compile(r"Run ([0-9a-f]{32}) started")
REPEATS = re.compile(r" \(x\d+\)")


@dataclass(frozen=True)
class Case:
    """One scenario of a family and what the devcloud must show for it."""

    name: str
    args: dict[str, Any]
    atomics: tuple[str, ...] = ()
    contexts: dict[str, Any] = field(default_factory=lambda: {"users": {}})
    times: int = 2
    #: the devcloud cannot do this: every iteration fails with this text in its error
    fails_with: str | None = None


@dataclass
class FamilyRun:
    code: int
    out: str
    err: str
    run_id: str
    cases: list[Case]
    #: exported workloads by their index in the task (the index of their case)
    workloads: dict[int, dict[str, Any]]
    #: resources named after the run still in the cloud after it ended
    leftovers: list[str]

    def workload(self, case: Case) -> dict[str, Any]:
        index = next(i for i, c in enumerate(self.cases) if c is case)
        assert index in self.workloads, f"{case.name} did not run:\n{self.out[-3000:]}"
        return self.workloads[index]

    def errors(self, case: Case) -> list[str]:
        """Error messages of the case's failed iterations (rows of squall.run/2)."""
        workload = self.workload(case)
        at = workload["iteration_fields"].index("error")
        return [row[at]["message"] for row in workload["iterations"] if row[at]]

    def atomics(self, case: Case) -> set[str]:
        """Atomic action names of the case's statistics, without repeat counts (`` (x2)``)."""
        rows = self.workload(case)["summary"]["stats"]
        return {REPEATS.sub("", row["name"]) for row in rows}


def task_for(title: str, cases: list[Case]) -> dict[str, Any]:
    """A Rally v2 task: one subtask whose workloads run in parallel."""
    return {
        "version": 2,
        "title": title,
        "subtasks": [
            {
                "title": title,
                "run_in_parallel": True,
                "workloads": [
                    {
                        "scenario": {case.name: case.args},
                        "runner": {
                            "constant": {"times": case.times, "concurrency": min(case.times, 2)}
                        },
                        "contexts": case.contexts,
                        "sla": {"failure_rate": {"max": 0 if case.fails_with is None else 100}},
                    }
                    for case in cases
                ],
            }
        ],
    }


def _squall(workdir: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SQUALL_DB_URL": f"sqlite:///{workdir / 'squall.db'}"}
    env.update(COLUMNS="200", PYTHONUNBUFFERED="1")
    env.pop("OS_CLOUD", None)
    return subprocess.run(
        [sys.executable, "-m", "squall", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def _named_after(run_id: str) -> list[str]:
    spec = from_clouds_yaml("devcloud")
    assert spec.admin is not None
    session = UserSession.open(spec, spec.admin)
    try:  # trunks and volume backups included
        return [f"{f.kind} {f.name} {f.id}" for f in discover(session.conn, matcher(run_id)).found]
    finally:
        session.close()


def run_family(
    workdir: Path, title: str, cases: list[Case], timeout: float = 1500, *options: str
) -> FamilyRun:
    """Run ``cases`` as one task (``options`` go to `squall task start`)."""
    task = workdir / f"{title}.json"
    task.write_text(json.dumps(task_for(title, cases), indent=1))
    argv = ("task", "start", str(task), "--cloud", "devcloud", *options)
    started = _squall(workdir, *argv, timeout=timeout)
    match = RUN_LINE.search(started.stdout)
    assert match, f"no run started:\n{started.stdout}\n{started.stderr}"
    run_id = match.group(1)
    exported = _squall(workdir, "task", "results", run_id, timeout=120)
    assert exported.returncode == 0, exported.stderr
    run = json.loads(exported.stdout)["runs"][0]
    workloads = {w["workload_index"]: w for w in run["workloads"]}
    return FamilyRun(
        started.returncode,
        started.stdout,
        started.stderr,
        run_id,
        cases,
        workloads,
        _named_after(run_id),
    )


def check_case(run: FamilyRun, case: Case) -> None:
    """The assertions every family makes for one of its cases."""
    summary = run.workload(case)["summary"]
    errors = run.errors(case)
    assert summary["status"] == "finished", run.out[-3000:]
    assert summary["total_iteration_count"] == case.times
    if case.fails_with is None:
        assert not errors, errors
        missing = set(case.atomics) - run.atomics(case)
        assert not missing, f"atomic actions {missing} not in {sorted(run.atomics(case))}"
    else:
        assert len(errors) == case.times, f"expected every iteration to fail, got {errors}"
        assert all(case.fails_with in e for e in errors), errors


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory, cloud_up: None) -> Path:
    return tmp_path_factory.mktemp("family")
