"""One workload's lifecycle: contexts up -> load + hooks -> SLA -> contexts down -> store.

Whatever happens (a context fails, the user aborts, the store hiccups), contexts
that were set up are cleaned up and every iteration already run is stored.
"""

from __future__ import annotations

import asyncio
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from squall.contexts.base import Context
from squall.engine.abort import AbortReason, AbortSignal
from squall.engine.executor import Executor, ScenarioCall
from squall.engine.hooks import TIME_RESOLUTION, ArmedHook, HookRunner
from squall.engine.progress import Counters, Progress, WorkloadStart
from squall.errors import PluginError
from squall.hooks.base import HookAction, HookEnv, Trigger
from squall.iteration import IterationResult
from squall.plugins.base import Plugin
from squall.plugins.registry import Registry
from squall.results.records import HookResult, RunStatus, WorkloadSummary
from squall.runners.base import Runner, Schedule
from squall.scenarios.base import ScenarioBase, ScenarioContext
from squall.sla.checker import SLAChecker
from squall.stats.summary import TOTAL_DURATION, DurationSummary
from squall.task.validate import ValidatedWorkload

if TYPE_CHECKING:
    from squall.results.store import Store

BATCH = 1000
#: batches handed to the store's writer and not stored yet before a closed loop waits
UNSTORED_BATCHES = 8
P = TypeVar("P", bound=Plugin)


def _plugin(cls: type[Plugin], base: type[P]) -> type[P]:
    """``cls`` as a member of the family whose base class is ``base``."""
    if not issubclass(cls, base):
        raise PluginError(f"plugin {cls.name!r} does not derive from {base.__name__}")
    return cls


def _nothing() -> None:
    return None


@dataclass
class WorkloadEnv:
    """What every workload of a run shares."""

    store: Store
    run_id: str
    pool: ThreadPoolExecutor
    writer: ThreadPoolExecutor  # one thread: store writes stay in order
    abort: AbortSignal
    progress: Progress
    registry: Registry
    abort_on_sla: bool = False
    context_items: list[object] = field(default_factory=list)
    #: what hook actions (disruptors) know of the run: its id and its fault-event record
    hook_env: HookEnv = field(default_factory=HookEnv)
    #: called as each workload's load starts (its contexts are up): the fault clock
    on_load_start: Callable[[], None] = _nothing


class _Consumer:
    """Takes each finished iteration: SLA, statistics, progress, batched store writes."""

    def __init__(self, env: WorkloadEnv, workload_id: int, sla: SLAChecker) -> None:
        self.env = env
        self.workload_id = workload_id
        self.sla = sla
        self.summary = DurationSummary()
        self.counters = Counters()
        self.batch: list[IterationResult] = []
        self.writes: list[Future[None]] = []
        self.unstored: deque[Future[None]] = deque()
        self.first_start: float | None = None
        self.first_timestamp: float | None = None
        self.last_start = 0.0
        self.last_end = 0.0
        self.max_lag = 0.0
        self.sla_broken = False

    def __call__(self, it: IterationResult) -> None:
        if not self.sla.add(it) and not self.sla_broken:
            self.sla_broken = True
            if self.env.abort_on_sla:
                self.env.abort.request(AbortReason.SLA)
        self.summary.add(it)
        counters = self.counters
        counters.done += 1
        if it.error is not None:
            counters.failed += 1
        start = it.start_offset
        if self.first_start is None or start < self.first_start:
            self.first_start = start
            self.first_timestamp = it.timestamp
        self.last_start = max(self.last_start, start)
        self.last_end = max(self.last_end, start + it.duration + it.idle_duration)
        counters.elapsed = self.last_end
        self.max_lag = max(self.max_lag, start - it.scheduled_offset)
        self.batch.append(it)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            batch, self.batch = self.batch, []
            store, wid = self.env.store, self.workload_id
            write = self.env.writer.submit(store.add_iterations, wid, batch)
            self.writes.append(write)
            self.unstored.append(write)

    @property
    def full(self) -> bool:
        """Too many batches wait for the writer (each holds ``BATCH`` iterations)."""
        unstored = self.unstored
        while unstored and unstored[0].done():
            unstored.popleft()
        return len(unstored) >= UNSTORED_BATCHES

    async def room(self) -> None:
        """Wait until the writer caught up; its errors surface in ``drain``."""
        while self.full:
            await asyncio.wait([asyncio.wrap_future(self.unstored[0])])

    async def drain(self) -> None:
        self.flush()
        for future in self.writes:
            await asyncio.wrap_future(future)
        self.writes.clear()

    @property
    def load_duration(self) -> float:
        return 0.0 if self.first_start is None else self.last_end - self.first_start

    @property
    def achieved_rate(self) -> float | None:
        """Starts per second between the first and the last start."""
        n = self.counters.done
        if n < 2 or self.first_start is None or self.last_start <= self.first_start:
            return None
        return (n - 1) / (self.last_start - self.first_start)


class WorkloadRun:
    """Runs one validated workload and stores its results."""

    def __init__(self, vw: ValidatedWorkload, subtask_title: str, env: WorkloadEnv) -> None:
        self.vw = vw
        self.subtask_title = subtask_title
        self.env = env
        self.contexts_results: list[dict[str, Any]] = []

    async def run(self) -> WorkloadSummary:
        env, vw = self.env, self.vw
        started = time.monotonic()
        workload_id = await asyncio.to_thread(
            env.store.add_workload,
            env.run_id,
            vw.subtask_index,
            vw.workload_index,
            self.subtask_title,
            vw.workload,
            vw.written_index,
        )
        context = ScenarioContext(run_id=env.run_id, workload_name=vw.workload.scenario.name)
        for item in env.context_items:
            context.put(item)
        runner = _plugin(vw.runner_cls, Runner)(vw.runner_config)
        schedule = runner.plan()
        consumer = _Consumer(env, workload_id, SLAChecker(env.registry, vw.workload.sla))
        error: str | None = None
        live: list[Context] = []
        hooks = HookRunner(self._arm_hooks(), wall_offset=0.0)
        try:
            error = await self._setup_contexts(context, live)
            if error is None and not env.abort.stopping():
                executor = Executor(
                    ScenarioCall(
                        _plugin(vw.scenario_cls, ScenarioBase), vw.scenario_config, context
                    ),
                    schedule,
                    workers=runner.workers,
                    timeout=runner.timeout,
                    pool=env.pool,
                    abort=env.abort,
                    sink=consumer,
                    on_start=hooks.on_iteration if hooks.active else lambda n, o: None,
                    backpressure=consumer,
                )
                env.on_load_start()
                env.progress.workload_started(self._start_info(runner, schedule), consumer.counters)
                await executor.run()
        except Exception as exc:  # an engine or plugin failure: keep what ran, report it
            error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        finally:
            hook_results = await hooks.finish()
            swept = await self._finish_items(context)
            await self._cleanup_contexts(live)
            self.contexts_results += swept
            await consumer.drain()
        summary = self._summary(consumer, schedule, hook_results, error, started)
        await asyncio.to_thread(env.store.finish_workload, workload_id, summary)
        env.progress.workload_finished(summary)
        return summary

    def _arm_hooks(self) -> list[ArmedHook]:
        return [
            ArmedHook(
                index=index,
                description=hook.spec.description,
                action=_plugin(hook.action_cls, HookAction)(hook.action_config, self.env.hook_env),
                trigger=_plugin(hook.trigger_cls, Trigger)(hook.trigger_config),
            )
            for index, hook in enumerate(self.vw.hooks)
        ]

    async def _setup_contexts(self, context: ScenarioContext, live: list[Context]) -> str | None:
        """Set contexts up in order; on the first failure, return its error text."""
        classes = [(_plugin(cls, Context), config) for cls, config in self.vw.contexts]
        for cls, config in sorted(classes, key=lambda pair: pair[0].order):
            ctx = cls(config, context)
            live.append(ctx)
            record = self._context_record(cls.name, config)
            error = await self._timed(ctx.setup, record["setup"])
            if error is not None:
                return f"context {cls.name!r} failed to set up: {error}"
        return None

    async def _finish_items(self, context: ScenarioContext) -> list[dict[str, Any]]:
        """Call ``workload_finished(context)`` on the context items that have it, before
        the contexts' cleanup (OpenStack deletes what iterations left there, as Rally's
        hidden cleanup context does); each call is recorded like a context's cleanup."""
        records: list[dict[str, Any]] = []
        for item in self.env.context_items:
            finish = getattr(item, "workload_finished", None)
            if callable(finish):
                record: dict[str, Any] = {
                    "plugin_name": f"{type(item).__name__}.workload_finished",
                    "plugin_cfg": {},
                    "setup": {"started_at": None, "finished_at": None, "error": None},
                    "cleanup": {"started_at": None, "finished_at": None, "error": None},
                }
                await self._timed(lambda f=finish: f(context), record["cleanup"])
                records.append(record)
        return records

    async def _cleanup_contexts(self, live: list[Context]) -> None:
        for ctx, record in zip(reversed(live), reversed(self.contexts_results), strict=False):
            await self._timed(ctx.cleanup, record["cleanup"])

    def _context_record(self, name: str, config: Any) -> dict[str, Any]:
        record: dict[str, Any] = {
            "plugin_name": name,
            "plugin_cfg": config.model_dump(mode="json"),
            "setup": {"started_at": None, "finished_at": None, "error": None},
            "cleanup": {"started_at": None, "finished_at": None, "error": None},
        }
        self.contexts_results.append(record)
        return record

    async def _timed(self, fn: Any, record: dict[str, Any]) -> str | None:
        record["started_at"] = time.time()
        error: str | None = None
        try:
            await asyncio.get_running_loop().run_in_executor(self.env.pool, fn)
        except Exception as exc:  # a context plugin failed: recorded, never fatal to cleanup
            error = f"{type(exc).__name__}: {exc}"
            record["error"] = [type(exc).__name__, str(exc), traceback.format_exc()]
        record["finished_at"] = time.time()
        return error

    def _start_info(self, runner: Runner, schedule: Schedule) -> WorkloadStart:
        return WorkloadStart(
            subtask_index=self.vw.subtask_index,
            workload_index=self.vw.workload_index,
            subtask_title=self.subtask_title,
            scenario=self.vw.workload.scenario.name,
            runner=runner.name,
            expected_total=schedule.expected_total,
            expected_duration=schedule.expected_duration,
        )

    def _status(self, error: str | None) -> RunStatus:
        if self.env.abort.reason is AbortReason.USER:
            return RunStatus.ABORTED
        if error is not None:
            return RunStatus.CRASHED
        return RunStatus.FINISHED

    def _summary(
        self,
        consumer: _Consumer,
        schedule: Schedule,
        hook_results: list[HookResult],
        error: str | None,
        started: float,
    ) -> WorkloadSummary:
        abort = self.env.abort
        sla_results = consumer.sla.results(
            aborted_on_sla=abort.reason is AbortReason.SLA,
            aborted_manually=abort.reason is AbortReason.USER,
            error=error,
        )
        rows = consumer.summary.rows()
        total = next((r for r in rows if r.name == TOTAL_DURATION), None)
        quantisation: dict[str, float] = {}
        if hook_results and any(h.triggered_by.event_type == "time" for h in hook_results):
            quantisation["hooks.time_trigger"] = TIME_RESOLUTION
        scenario_cls = _plugin(self.vw.scenario_cls, ScenarioBase)
        quantisation.update(scenario_cls.quantisation_for(self.vw.scenario_config))
        target = schedule.target_rate(consumer.last_start) if schedule.open_loop else None
        return WorkloadSummary(
            subtask_index=self.vw.subtask_index,
            workload_index=self.vw.workload_index,
            scenario=self.vw.workload.scenario.name,
            status=self._status(error),
            start_time=consumer.first_timestamp,
            load_duration=consumer.load_duration,
            full_duration=time.monotonic() - started,
            total_iteration_count=consumer.counters.done,
            failed_iteration_count=consumer.counters.failed,
            min_duration=total.min if total else None,
            max_duration=total.max if total else None,
            pass_sla=all(r.success for r in sla_results),
            sla_results=sla_results,
            stats=rows,
            hook_results=hook_results,
            contexts_results=self.contexts_results,
            achieved_rate=consumer.achieved_rate,
            target_rate=target,
            max_start_lag=consumer.max_lag if consumer.counters.done else None,
            quantisation=quantisation,
            histograms=consumer.summary.histograms(),
        )
