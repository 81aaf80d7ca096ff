"""OpenStack tests against the devcloud: the CLI in a subprocess, inventories of the cloud.

The devcloud is shared: a healthy one is reused (``up`` returns at once), else it
is brought up (minutes). Other runs may use the same devcloud at the same time, so
leak checks look only at what belongs to the run under test: resources named
after it, or living in the projects it created.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from squall.openstack.inventory import Found, list_kind, listable
from squall.openstack.journal import ResourceKind
from squall.openstack.naming import is_squall_name

ROOT = Path(__file__).resolve().parents[3]
CLOUD = "devcloud"
RUN_LINE = re.compile(r"Run ([0-9a-f]{32}) started")

# `squall cleanup` is mounted by the CLI's main module; until then the same app is
# mounted here, so the command line under test is exactly the user's.
ENTRY = (
    "import sys\n"
    "from squall.cli import main as m\n"
    "from squall.cli.cleanup import app\n"
    "mounted = 'cleanup' in getattr(m, 'COMMANDS', {})\n"
    "if not mounted and not any(g.name == 'cleanup' for g in m.app.registered_groups):\n"
    "    m.app.add_typer(app, name='cleanup')\n"
    "m.main(sys.argv[1:])\n"
)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def run_id(self) -> str:
        match = RUN_LINE.search(self.out)
        assert match, f"no run started:\n{self.out}\n{self.err}"
        return match.group(1)


class Squall:
    """The real `squall` command with a private SQLite store."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.db = workdir / "squall.db"
        self.env = {
            **os.environ,
            "SQUALL_DB_URL": f"sqlite:///{self.db}",
            "COLUMNS": "200",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("OS_CLOUD", None)

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-c", ENTRY, *args]

    def __call__(
        self, *args: str, timeout: float = 900, env: dict[str, str] | None = None
    ) -> Result:
        proc = subprocess.run(
            self.argv(*args),
            capture_output=True,
            text=True,
            env=env or self.env,
            cwd=ROOT,
            timeout=timeout,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.argv(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.env,
            cwd=ROOT,
        )

    def task_file(self, name: str, text: str) -> str:
        path = self.workdir / name
        path.write_text(text)
        return str(path)


@pytest.fixture(scope="session")
def cloud_up() -> None:
    if os.geteuid() != 0:
        pytest.skip("the devcloud runs only as root")
    from squall.devcloud import load_config, up
    from squall.errors import DevcloudError

    deadline = time.monotonic() + 900
    while True:  # another process may be bringing the shared devcloud up right now
        try:
            up(load_config(), report=lambda msg: print(f"devcloud: {msg}", file=sys.stderr))
            return
        except DevcloudError as exc:
            if "half up" not in exc.message or time.monotonic() > deadline:
                raise
            time.sleep(10)


@pytest.fixture(scope="session")
def conn(cloud_up: None) -> Iterator[Any]:
    """The devcloud admin's openstacksdk connection (made the way squall makes it)."""
    from squall.openstack.credentials import from_clouds_yaml
    from squall.openstack.session import UserSession

    spec = from_clouds_yaml(CLOUD)
    assert spec.admin is not None
    session = UserSession.open(spec, spec.admin)
    yield session.conn
    session.close()


@pytest.fixture
def squall(tmp_path: Path, cloud_up: None) -> Squall:
    return Squall(tmp_path)


Inventory = dict[ResourceKind, dict[str, Found]]


def inventory(conn: Any) -> Inventory:
    """Every resource the admin sees, per kind."""
    return {k: {f.id: f for f in list_kind(conn, k)} for k in listable(conn)}


def left_by(before: Inventory, after: Inventory, run_id: str) -> list[Found]:
    """Resources in ``after`` but not ``before`` that belong to ``run_id``: named after it,
    or inside a project named after it (ports of its servers, ...)."""
    projects = {
        f.id
        for k in (ResourceKind.PROJECT,)
        for f in (after.get(k, {}) | before.get(k, {})).values()
        if is_squall_name(f.name, run_id)
    }
    left = []
    for kind, items in after.items():
        for rid, found in items.items():
            if rid in before.get(kind, {}):
                continue
            if is_squall_name(found.name, run_id) or found.project_id in projects:
                left.append(found)
    return left


def project_ids_of_run(db: Path, run_id: str) -> set[str]:
    from squall.results.journal import StoreJournal
    from squall.results.store import Store

    store = Store.open(str(db))
    try:
        return {
            e.resource_id
            for e in StoreJournal(store).entries(run_id, live_only=False)
            if e.kind is ResourceKind.PROJECT and e.resource_id
        }
    finally:
        store.close()


def leaked(before: Inventory, after: Inventory, run_id: str, db: Path | None) -> list[Found]:
    """What ``run_id`` left, including unnamed resources in its (deleted) projects."""
    projects = project_ids_of_run(db, run_id) if db is not None else set()
    named = left_by(before, after, run_id)
    extra = [
        f
        for kind, items in after.items()
        for rid, f in items.items()
        if rid not in before.get(kind, {}) and f.project_id in projects and f not in named
    ]
    return named + extra


class CloudState:
    """Inventories of the devcloud and what a run left between two of them."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def snapshot(self) -> Inventory:
        return inventory(self.conn)

    def leaked(self, before: Inventory, run_id: str, db: Path | None = None) -> list[Found]:
        return leaked(before, self.snapshot(), run_id, db)


@pytest.fixture
def cloud(conn: Any) -> CloudState:
    return CloudState(conn)
