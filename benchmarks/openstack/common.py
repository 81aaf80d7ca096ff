"""What the OpenStack benchmarks share: the devcloud's admin, squall's CLI, figures."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CLOUD = "devcloud"


def say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def admin_connection(cloud: str = CLOUD) -> Any:
    """The devcloud admin's openstacksdk connection, made the way squall makes it."""
    from squall.openstack.credentials import from_clouds_yaml
    from squall.openstack.session import UserSession

    spec = from_clouds_yaml(cloud)
    assert spec.admin is not None
    return UserSession.open(spec, spec.admin).conn


def deployment_file(path: Path, auth_url: str, cloud: str = CLOUD) -> Path:
    """A Rally deployment: ``cloud``'s admin, authenticating at ``auth_url``."""
    from squall.openstack.credentials import from_clouds_yaml

    spec = from_clouds_yaml(cloud)
    assert spec.admin is not None
    admin = spec.admin
    body = {
        "openstack": {
            "auth_url": auth_url,
            "region_name": spec.region_name or "RegionOne",
            "admin": {
                "username": admin.username,
                "password": admin.password,
                "project_name": admin.project_name,
            },
        }
    }
    path.write_text(yaml.safe_dump(body))
    return path


@dataclass
class SquallRun:
    run_id: str
    wall: float
    code: int
    out: str


def squall_task(task: dict[str, Any], workdir: Path, *args: str) -> SquallRun:
    """``squall task start`` on ``task`` (written as JSON) with a private SQLite store."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "task.json"
    path.write_text(json.dumps(task))
    env = {**os.environ, "SQUALL_DB_URL": f"sqlite:///{workdir / 'squall.db'}", "COLUMNS": "200"}
    env.pop("OS_CLOUD", None)
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "squall", "task", "start", str(path), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    wall = time.monotonic() - started
    out = proc.stdout + proc.stderr
    match = re.search(r"Run ([0-9a-f]{32}) started", out)
    return SquallRun(match.group(1) if match else "", wall, proc.returncode, out)


def stored_iterations(workdir: Path, run_id: str) -> list[Any]:
    """Every iteration of the run's first workload, from its store."""
    from squall.results.store import Store

    store = Store.open(f"sqlite:///{workdir / 'squall.db'}")
    try:
        (workload,) = store.get_run(run_id).workloads[:1]
        return list(store.iterations(workload.id))
    finally:
        store.close()


def describe(values: list[float]) -> str:
    if not values:
        return "no values"
    ordered = sorted(values)
    return (
        f"n={len(values)} mean={statistics.fmean(values):.3f}s "
        f"median={statistics.median(values):.3f}s "
        f"min={ordered[0]:.3f}s max={ordered[-1]:.3f}s"
    )


def ratio_line(name: str, squall: float, other: float, goal: str, ok: bool) -> str:
    ratio = squall / other if other else float("nan")
    verdict = "PASS" if ok else "FAIL"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{name}: squall {squall:.4f}, other {other:.4f}, ratio {ratio:.4f} "
        f"(goal {goal}): {verdict} [load {load}]"
    )
