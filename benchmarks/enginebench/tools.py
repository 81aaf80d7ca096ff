"""Drive each tool from its command line, each in its own directory and database.

Rally runs from its own venv (``benchmarks/rally/setup.sh``) with a private config
file, SQLite database and HOME (it keeps ``~/.rally/globals``). squall runs from the
project's venv with ``--db sqlite:///...``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from enginebench.process import Completed, run_measured
from enginebench.profiling import profiled_command
from enginebench.results import WorkloadRun, parse_any

RAN = (0, 2)  # 2 = an SLA failed; the results are still there


class ToolError(RuntimeError):
    """A tool did not run or did not leave the results the benchmark needs."""


def _check(done: Completed, what: str) -> Completed:
    if done.timed_out:
        raise ToolError(f"{what}: timed out after {done.wall:.0f} s\n{done.tail()}")
    if done.returncode not in RAN:
        raise ToolError(f"{what}: exit code {done.returncode}\n{done.tail()}")
    return done


def sqlite_size(path: Path) -> int:
    """Bytes of an SQLite database, its WAL and shared-memory files included."""
    files = (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
    return sum(f.stat().st_size for f in files if f.exists())


def read_runs(path: Path, tool: str) -> list[WorkloadRun]:
    with path.open() as f:
        doc: dict[str, Any] = json.load(f)
    return parse_any(doc, tool=tool)


@dataclass(frozen=True, slots=True)
class ToolRun:
    """What one tool left after running one task file."""

    workloads: list[WorkloadRun]
    start: Completed
    database_bytes: int
    export_bytes: int


def niced(argv: list[str], nice: int) -> list[str]:
    """``argv`` at scheduling priority ``nice`` (negative: ahead of other work; root only)."""
    return ["nice", "-n", str(nice), *argv] if nice else argv


class Rally:
    def __init__(self, executable: Path, workdir: Path, nice: int = 0) -> None:
        self.executable, self.workdir, self.nice = executable, workdir, nice
        self.db = workdir / "rally.sqlite"
        self.config = workdir / "rally.conf"
        self.env = {**os.environ, "HOME": str(workdir / "home")}

    def _run(self, name: str, *args: str, timeout: float = 3600.0) -> Completed:
        argv = niced([str(self.executable), "--config-file", str(self.config), *args], self.nice)
        return run_measured(
            argv, self.workdir / name, cwd=self.workdir, env=self.env, timeout=timeout
        )

    def prepare(self) -> None:
        (self.workdir / "home").mkdir(parents=True, exist_ok=True)
        self.config.write_text(f"[database]\nconnection = sqlite:///{self.db}\n")
        _check(self._run("db-create", "db", "create"), "rally db create")
        _check(self._run("env-create", "env", "create", "--name", "bench"), "rally env create")

    def run_task(self, task: Path, timeout: float) -> ToolRun:
        self.prepare()
        start = _check(
            self._run("task-start", "task", "start", "--env", "bench", str(task), timeout=timeout),
            "rally task start",
        )
        export = self.workdir / "report.json"
        _check(
            self._run("report", "task", "report", "--json", "--out", str(export)),
            "rally task report --json",
        )
        return ToolRun(
            workloads=read_runs(export, "rally"),
            start=start,
            database_bytes=sqlite_size(self.db),
            export_bytes=export.stat().st_size,
        )


class Squall:
    def __init__(
        self,
        command: list[str],
        workdir: Path,
        export_type: str = "json",
        profile: bool = False,
        nice: int = 0,
    ) -> None:
        self.command, self.workdir, self.export_type = command, workdir, export_type
        self.nice = nice
        self.db = workdir / "squall.sqlite"
        self.profile = workdir / "task-start.prof" if profile else None

    def _run(
        self, name: str, *args: str, timeout: float = 3600.0, command: list[str] | None = None
    ) -> Completed:
        argv = niced([*(command or self.command), *args, "--db", f"sqlite:///{self.db}"], self.nice)
        return run_measured(argv, self.workdir / name, cwd=self.workdir, timeout=timeout)

    def run_task(self, task: Path, timeout: float) -> ToolRun:
        self.workdir.mkdir(parents=True, exist_ok=True)
        command = None if self.profile is None else profiled_command(self.profile)
        start = _check(
            self._run("task-start", "task", "start", str(task), timeout=timeout, command=command),
            "squall task start",
        )
        database_bytes = sqlite_size(self.db)
        export = self.workdir / f"export.{self.export_type}.json"
        _check(
            self._run(
                "export", "task", "export", "last", "--type", self.export_type, "--to", str(export)
            ),
            f"squall task export --type {self.export_type}",
        )
        return ToolRun(
            workloads=read_runs(export, "squall"),
            start=start,
            database_bytes=database_bytes,
            export_bytes=export.stat().st_size,
        )
