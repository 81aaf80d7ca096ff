"""Tasks: validate, start, list, show, abort, delete."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from squall.api import fault_journals
from squall.api.environment import current_environment
from squall.engine.abort import AbortReason, AbortSignal
from squall.engine.loop import new_loop
from squall.engine.progress import Progress
from squall.engine.task_engine import RunOptions, RunOutcome, TaskEngine
from squall.plugins.registry import Registry
from squall.results.records import RunRecord, RunStatus
from squall.task.loader import load_task
from squall.task.validate import ValidatedTask, validate_task

if TYPE_CHECKING:
    from squall.results.store import Store


@dataclass(frozen=True)
class TaskInput:
    """Where a task comes from and how to render it."""

    path: str  # a file, or "-" for stdin
    task_args: str | None = None
    task_args_file: Path | None = None
    stdin: TextIO | None = None


def validate(source: TaskInput, registry: Registry) -> ValidatedTask:
    """Load, render and validate a task; raise TaskError listing every problem."""
    loaded = load_task(
        source.path,
        task_args=source.task_args,
        task_args_file=source.task_args_file,
        stdin=source.stdin,
    )
    return validate_task(loaded, registry)


@dataclass
class StartOptions:
    tags: list[str] = field(default_factory=list)
    abort_on_sla_failure: bool = False
    context_items: list[object] = field(default_factory=list)
    #: the run's clouds, stored with its environment (``openstack.environment_cloud``)
    cloud: dict[str, Any] = field(default_factory=dict)


def start(
    task: ValidatedTask,
    store: Store,
    registry: Registry,
    *,
    options: StartOptions | None = None,
    progress: Progress | None = None,
    on_created: object = None,
    handle_signals: bool = True,
) -> RunOutcome:
    """Run a validated task to the end (or to an abort) and store everything.

    SIGINT and SIGTERM request a soft abort (no new iterations, in-flight ones end,
    contexts are cleaned up, partial results stored); a second one stops hard.
    ``handle_signals=False`` leaves signals alone (a run in a server's thread, which
    is stopped through the store with ``abort``).
    """
    opts = options or StartOptions()
    engine = TaskEngine(
        task,
        store,
        current_environment(opts.cloud, fault_journals.environment_extra(task)),
        registry=registry,
        options=RunOptions(
            tags=opts.tags,
            abort_on_sla_failure=opts.abort_on_sla_failure,
            context_items=opts.context_items,
        ),
        progress=progress,
    )
    engine.create()
    if callable(on_created):
        on_created(engine.run_id)
    with asyncio.Runner(loop_factory=new_loop) as runner:
        if not handle_signals:
            return runner.run(engine.run())
        return runner.run(_run_with_signals(engine))


async def _run_with_signals(engine: TaskEngine) -> RunOutcome:
    with _abort_on_signals(engine.abort):
        return await engine.run()


@contextmanager
def _abort_on_signals(abort: AbortSignal) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, abort.request, AbortReason.USER)
    try:
        yield
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


def list_runs(
    store: Store, *, tag: str | None = None, status: RunStatus | None = None
) -> list[RunRecord]:
    return store.list_runs(tag=tag, status=status)


def show(store: Store, ref: str) -> RunRecord:
    return store.get_run(ref)


def abort(store: Store, ref: str) -> RunRecord:
    """Ask the process running ``ref`` to stop softly (it polls the store)."""
    run = store.get_run(ref)
    store.request_abort(run.id)
    return run


def delete(store: Store, ref: str) -> RunRecord:
    run = store.get_run(ref)
    store.delete_run(run.id)
    return run
