"""Runs a validated task: its subtasks in order, workloads in order or all at once.

The run is created in the store before anything starts and always ends marked:
``finished``, ``aborted`` (the user stopped it) or ``crashed`` (an error did). An
abort requested from another process (``squall task abort``) is polled from the
store every ``ABORT_POLL`` seconds.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from squall.engine.abort import AbortReason, AbortSignal
from squall.engine.progress import NoProgress, Progress
from squall.engine.resilience import ResilienceRun
from squall.engine.workload import WorkloadEnv, WorkloadRun
from squall.hooks.base import HookEnv
from squall.plugins.registry import Registry
from squall.results.records import Environment, RunStatus, WorkloadSummary
from squall.runners.base import Runner
from squall.task.validate import ValidatedTask, ValidatedWorkload

if TYPE_CHECKING:
    from squall.results.store import Store

ABORT_POLL = 1.0
#: Collector thresholds while load runs. Iteration records hold no reference
#: cycles (reference counting frees them), so frequent young-generation passes
#: only cost time: measured 1.8x more Dummy iterations/s with these. Cycles made
#: by scenario code are still collected, less often.
LOAD_GC_THRESHOLDS = (50_000, 20, 100)
#: Threads for blocking scenarios: enough for the largest concurrency, bounded.
MAX_THREADS = 1024


@dataclass
class RunOptions:
    tags: list[str] = field(default_factory=list)
    abort_on_sla_failure: bool = False
    #: typed objects every workload's ScenarioContext starts with (e.g. cloud credentials)
    context_items: list[object] = field(default_factory=list)


@dataclass(frozen=True)
class RunOutcome:
    run_id: str
    status: RunStatus
    summaries: list[WorkloadSummary]

    @property
    def pass_sla(self) -> bool:
        return all(s.pass_sla for s in self.summaries)


@contextmanager
def _load_gc() -> Iterator[None]:
    """Freeze what exists before the load and collect rarely while it runs."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*LOAD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _workers(vw: ValidatedWorkload) -> int:
    cls = vw.runner_cls
    return cls(vw.runner_config).workers if issubclass(cls, Runner) else 1


class TaskEngine:
    """Drives one run of a task from start to stored result."""

    def __init__(
        self,
        task: ValidatedTask,
        store: Store,
        environment: Environment,
        *,
        registry: Registry,
        options: RunOptions | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.task = task
        self.registry = registry
        self.store = store
        self.environment = environment
        self.options = options or RunOptions()
        self.progress = progress or NoProgress()
        self.abort = AbortSignal()
        self.run_id = ""

    def create(self) -> str:
        """Create the run in the store (before anything runs); return its id."""
        self.run_id = self.store.create_run(self.task.task, self.environment, self.options.tags)
        return self.run_id

    async def run(self) -> RunOutcome:
        with _load_gc():
            return await self._run()

    async def _run(self) -> RunOutcome:
        if not self.run_id:
            self.create()
        self.store.set_run_status(self.run_id, RunStatus.RUNNING)
        threads = min(MAX_THREADS, max([_workers(w) for w in self.task.workloads] + [4]))
        pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="squall-iter")
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="squall-store")
        resilience = ResilienceRun(
            self.task.resilience, self.store, self.run_id, self.options.context_items
        )
        env = WorkloadEnv(
            store=self.store,
            run_id=self.run_id,
            pool=pool,
            writer=writer,
            abort=self.abort,
            progress=self.progress,
            registry=self.registry,
            abort_on_sla=self.options.abort_on_sla_failure,
            context_items=self.options.context_items,
            hook_env=HookEnv(run_id=self.run_id, fault_events=resilience.record_event),
            on_load_start=resilience.load_started,
        )
        poller = asyncio.ensure_future(self._poll_abort())
        summaries: list[WorkloadSummary] = []
        status = RunStatus.CRASHED
        try:
            await resilience.start()  # monitors (and their health gate) before any load
            for subtask_index, subtask in enumerate(self.task.task.subtasks):
                if self.abort.stopping():
                    break
                runs = [
                    WorkloadRun(vw, subtask.title, env)
                    for vw in self.task.workloads
                    if vw.subtask_index == subtask_index
                ]
                if subtask.run_in_parallel:
                    summaries += await asyncio.gather(*(r.run() for r in runs))
                else:
                    for r in runs:
                        if self.abort.stopping():
                            break
                        summaries.append(await r.run())
            status = self._final_status(summaries)
        finally:
            await resilience.stop()  # faults restored, monitors stopped, samples stored
            poller.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            writer.shutdown(wait=True)
            self.store.set_run_status(self.run_id, status, finished=True)
        return RunOutcome(self.run_id, status, summaries)

    def _final_status(self, summaries: list[WorkloadSummary]) -> RunStatus:
        if self.abort.reason is AbortReason.USER:
            return RunStatus.ABORTED
        if any(s.status is RunStatus.CRASHED for s in summaries):
            return RunStatus.CRASHED
        return RunStatus.FINISHED

    async def _poll_abort(self) -> None:
        while True:
            await asyncio.sleep(ABORT_POLL)
            requested = await asyncio.to_thread(self.store.abort_requested, self.run_id)
            if requested and not self.abort.stopping():
                self.abort.request(AbortReason.USER)
