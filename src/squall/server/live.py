"""Runs started by the server: background threads, live progress, abort."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from squall.api import openstack as openstack_api
from squall.api import tasks as tasks_api
from squall.api.openstack import CloudOptions
from squall.engine.progress import Counters, WorkloadStart
from squall.errors import ConfigError, SquallError
from squall.plugins.registry import Registry
from squall.results.journal import StoreJournal
from squall.results.records import WorkloadSummary
from squall.results.store import Store
from squall.server.background import BackgroundRuns
from squall.task.validate import ValidatedTask

CREATE_TIMEOUT = 60.0
MAX_ACTIVE = 8


@dataclass(slots=True)
class LiveWorkload:
    start: WorkloadStart
    counters: Counters
    summary: WorkloadSummary | None = None


@dataclass(slots=True)
class LiveRun:
    """What a running task's progress looks like right now."""

    run_id: str = ""
    title: str = ""
    started_at: float = field(default_factory=time.time)
    workloads: list[LiveWorkload] = field(default_factory=list)
    done: bool = False
    error: str | None = None
    skipped: list[str] = field(default_factory=list)  # workloads preflight took out

    @property
    def current(self) -> LiveWorkload | None:
        return self.workloads[-1] if self.workloads else None


class LiveProgress:
    """The engine's Progress protocol, kept for the SSE stream and the metrics."""

    def __init__(self, live: LiveRun) -> None:
        self.live = live

    def workload_started(self, start: WorkloadStart, counters: Counters) -> None:
        self.live.workloads.append(LiveWorkload(start, counters))

    def workload_finished(self, summary: WorkloadSummary) -> None:
        for workload in self.live.workloads:
            if (workload.start.subtask_index, workload.start.workload_index) == (
                summary.subtask_index,
                summary.workload_index,
            ):
                workload.summary = summary


class RunManager(BackgroundRuns[LiveRun]):
    """Starts tasks in background threads and keeps their live state."""

    def __init__(self, store: Store, registry: Registry) -> None:
        super().__init__()
        self.store = store
        self.registry = registry

    def start(self, task: ValidatedTask, tags: list[str], clouds: tuple[str, ...] = ()) -> LiveRun:
        """Start ``task``; return once its run is stored (or raise why it could not start)."""
        if sum(1 for r in self.active()) >= MAX_ACTIVE:
            raise ConfigError(
                f"{MAX_ACTIVE} runs are already running here", hint="wait or abort one"
            )
        live = LiveRun(title=task.task.title)
        created = threading.Event()

        def on_created(run_id: str) -> None:
            live.run_id = run_id
            self._keep(run_id, live)
            created.set()

        def body() -> None:
            items: list[object] = []
            try:
                prepared = openstack_api.prepare(
                    task, CloudOptions(clouds=clouds), StoreJournal(self.store)
                )
                items = prepared.items
                live.skipped = [
                    f"[{s.subtask_index}.{s.workload_index}] {s.reason}" for s in prepared.skipped
                ]
                tasks_api.start(
                    prepared.task,
                    self.store,
                    self.registry,
                    options=tasks_api.StartOptions(
                        tags=tags,
                        context_items=items,
                        cloud=openstack_api.environment_cloud(items),
                    ),
                    progress=LiveProgress(live),
                    on_created=on_created,
                    handle_signals=False,
                )
            except SquallError as exc:
                live.error = exc.message
            except Exception as exc:  # a thread's last word, kept for the API
                live.error = f"{type(exc).__name__}: {exc}"
            finally:
                if live.run_id and items:
                    openstack_api.finish(items, live.run_id)
                live.done = True
                created.set()

        self._spawn(body, "squall-run")
        created.wait(CREATE_TIMEOUT)
        if not live.run_id:
            raise ConfigError(f"the task could not start: {live.error or 'timed out'}")
        return live
