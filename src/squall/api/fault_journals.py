"""Where a run writes the undo journal of its faults, kept with the run.

A fault's undo goes to a journal file (``disruptors.journal``): the task's
``resilience.journal``, a hook's ``journal`` option, else ``$SQUALL_FAULT_JOURNAL``
or squall's own file, each as seen by the process that ran the task. The run
records the absolute paths in its environment (``extra["fault_journals"]``), so
``squall cleanup --run ID`` finds them later from any directory, with any
environment, and with the run stored anywhere (``--db``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from squall.disruptors.journal import default_path
from squall.errors import StoreError
from squall.hooks.actions.disruptor import FaultOptions
from squall.results.records import RunRecord
from squall.task.validate import ValidatedTask

if TYPE_CHECKING:
    from squall.results.store import Store

#: the key of ``Environment.extra`` that lists a run's fault journals
KEY = "fault_journals"


def task_journals(task: ValidatedTask) -> list[Path]:
    """The journal files ``task`` writes to if it injects faults (none if it cannot)."""
    paths: list[Path] = []
    resilience = task.resilience
    if resilience is not None and resilience.disruptions:
        paths.append(_absolute(resilience.spec.journal))
    for vw in task.workloads:
        for hook in vw.hooks:
            if isinstance(hook.action_config, FaultOptions):
                paths.append(_absolute(hook.action_config.journal))
    return list(dict.fromkeys(paths))


def environment_extra(task: ValidatedTask) -> dict[str, Any]:
    """What a run of ``task`` records about its journals (nothing if it injects none)."""
    paths = task_journals(task)
    return {KEY: [str(p) for p in paths]} if paths else {}


def run_journals(record: RunRecord | None) -> list[Path]:
    """The journals to look in for a run's faults: those it recorded, the one its stored
    task names (runs stored before journals were recorded), then today's default."""
    paths: list[Path] = []
    if record is not None:
        recorded = record.environment.extra.get(KEY)
        if isinstance(recorded, list):
            paths += [Path(p) for p in recorded if isinstance(p, str)]
        resilience = record.task.get("resilience")
        named = resilience.get("journal") if isinstance(resilience, dict) else None
        if isinstance(named, str) and named:
            paths.append(_absolute(named))
    paths.append(_absolute(None))
    return list(dict.fromkeys(paths))


def _absolute(path: str | None) -> Path:
    return (Path(path) if path else default_path()).absolute()


def journals_of(store: Store | None, run_id: str) -> list[Path]:
    """``run_journals`` of run ``run_id`` as ``store`` has it (the default journal only
    when the store does not have it)."""
    record = None
    if store is not None:
        try:
            record = store.get_run(run_id)
        except StoreError:
            record = None
    return run_journals(record)
