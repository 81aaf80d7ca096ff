"""Data-plane runs as ``squall dataplane status`` and the server see them.

A run lives in its work directory (``<workdir>/<run>/results.json``, written after every
repetition, and ``progress.json`` while a test runs) and, unless run with
``--no-store``, in the results store. Both are read: the file wins for a run in both
(it is the fresher while the run goes on). A run still marked ``running`` whose squall
process is gone from this host was killed: it is shown as ``abandoned``, with the
cleanup that removes what it left.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from squall.dataplane.pids import alive
from squall.dataplane.results import RESULTS_FILE, TestState, read_progress, read_results
from squall.errors import ConfigError, SquallError

if TYPE_CHECKING:
    from squall.results.store import Store

ABANDONED = "abandoned"


@dataclass
class RunView:
    """One run: its document (``results.run_dict`` shape) and where it was found.

    ``tests`` is each test repetition's state. A run listed from the store has them
    while its document's ``tests`` is empty (its figures are read by ``get_run`` only).
    """

    data: dict[str, Any]
    status: str  # the stored status, or ``abandoned``
    run_dir: Path | None = None  # None: only in the results store
    progress: dict[str, Any] | None = None  # while running
    tests: list[TestState] = field(default_factory=list)

    @classmethod
    def of(cls, data: dict[str, Any], run_dir: Path | None = None) -> RunView:
        """The view of a whole run document (its tests' states taken from it)."""
        status = effective_status(data)
        progress = read_progress(run_dir) if run_dir and status == "running" else None
        states = [TestState.of(t) for t in data["tests"]]
        return cls(data, status, run_dir, progress, states)

    @property
    def run(self) -> str:
        return str(self.data["run"])

    @property
    def done(self) -> int:
        """Test repetitions done (partial ones included)."""
        return len(self.tests)

    @property
    def partial(self) -> int:
        """Test repetitions done with some pair failed, lost or cut short."""
        return sum(1 for t in self.tests if t.partial)

    @property
    def planned(self) -> int:
        """Test repetitions the plan asks for (at least those done)."""
        tests = self.data.get("plan", {}).get("tests", [])
        planned = sum(int(t.get("repetitions", 1)) for t in tests)
        return max(planned, self.done)

    @property
    def failed_agents(self) -> list[str]:
        return sorted({a for t in self.tests for a in t.failed_agents})


def effective_status(data: dict[str, Any]) -> str:
    """``abandoned`` for a ``running`` run whose process is gone from this host."""
    status = str(data.get("status", ""))
    pid = int(data.get("pid") or 0)
    host = data.get("environment", {}).get("host")
    if status != "running" or not pid or host != socket.gethostname():
        return status
    return status if alive(pid) else ABANDONED


def _from_dir(run_dir: Path) -> RunView:
    return RunView.of(read_results(run_dir / RESULTS_FILE), run_dir)


def list_runs(workdir: Path, store: Store | None = None) -> tuple[list[RunView], list[str]]:
    """Every run, oldest first, and a note for each run file that cannot be read."""
    views: dict[str, RunView] = {}
    problems: list[str] = []
    if store is not None:
        from squall.dataplane.store import DataplaneStore

        stored = DataplaneStore(store)
        states = stored.test_states()
        for data in stored.runs():
            run = data["run"]
            views[run] = RunView(data, effective_status(data), tests=states.get(run, []))
    for path in workdir.glob(f"*/{RESULTS_FILE}"):
        try:
            view = _from_dir(path.parent)
        except SquallError as exc:
            problems.append(exc.message)
            continue
        views[view.run] = view
    ordered = sorted(views.values(), key=lambda v: float(v.data.get("started_at") or 0.0))
    return ordered, problems


def get_run(ref: str, workdir: Path, store: Store | None = None) -> RunView:
    """One run by id or unique prefix, with its tests (work directory first, then the store)."""
    dirs = [p.parent for p in workdir.glob(f"{ref}*/{RESULTS_FILE}")]
    if len(dirs) == 1:
        return _from_dir(dirs[0])
    if len(dirs) > 1:
        raise ConfigError(
            f"{len(dirs)} runs in {workdir} match {ref!r}", hint="give more of the run id"
        )
    if store is not None:
        from squall.dataplane.store import DataplaneStore

        return RunView.of(DataplaneStore(store).get(ref))
    raise ConfigError(
        f"no data-plane run matches {ref!r} in {workdir}", hint="squall dataplane status"
    )
