"""Fires a workload's hooks on iteration and time events.

``iteration`` events come from the executor as each iteration starts. ``time``
events come from a clock started at the first iteration, ticking every whole
second (Rally's resolution, reported as the hooks' quantisation). Actions run on
their own small thread pool so the load never waits for them.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from squall.hooks.base import HookAction, HookOutcome, Trigger
from squall.results.records import HookResult, TriggeredBy

TIME_RESOLUTION = 1.0


@dataclass(frozen=True)
class ArmedHook:
    index: int
    description: str
    action: HookAction
    trigger: Trigger


class HookRunner:
    """The hooks of one workload while it runs."""

    def __init__(self, hooks: list[ArmedHook], wall_offset: float) -> None:
        self.hooks = hooks
        self._wall_offset = wall_offset
        self._by_unit = {
            unit: [h for h in hooks if h.trigger.unit == unit] for unit in ("iteration", "time")
        }
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="squall-hook")
        self._pending: list[Future[HookResult]] = []
        self._clock: asyncio.Task[None] | None = None
        self.results: list[HookResult] = []

    @property
    def active(self) -> bool:
        return bool(self.hooks)

    def on_iteration(self, number: int, offset: float) -> None:
        """Called as iteration ``number`` starts; starts the time clock on the first."""
        for hook in self._by_unit["iteration"]:
            if hook.trigger.fires_at(number):
                self._fire(hook, "iteration", number)
        if self._clock is None and self._by_unit["time"]:
            self._clock = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        hooks = self._by_unit["time"]
        ends = [h.trigger.last_value() for h in hooks]
        last = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
        start = time.monotonic()
        second = 0
        while last is None or second <= last:
            for hook in hooks:
                if hook.trigger.fires_at(second):
                    self._fire(hook, "time", second)
            second += 1
            await asyncio.sleep(max(0.0, start + second * TIME_RESOLUTION - time.monotonic()))

    def _fire(self, hook: ArmedHook, event_type: str, value: int) -> None:
        self._pending.append(self._pool.submit(self._run, hook, TriggeredBy(event_type, value)))

    def _run(self, hook: ArmedHook, by: TriggeredBy) -> HookResult:
        started = time.time()
        try:
            outcome = hook.action.run()
        except Exception as exc:  # a broken action plugin must not stop the load
            outcome = HookOutcome("failed", error={"etype": type(exc).__name__, "msg": str(exc)})
        return HookResult(
            hook_index=hook.index,
            action=hook.action.name,
            trigger=hook.trigger.name,
            description=hook.description,
            status=outcome.status,
            started_at=started,
            finished_at=time.time(),
            triggered_by=by,
            error=outcome.error,
            output=outcome.output,
        )

    async def finish(self) -> list[HookResult]:
        """Stop the clock, wait for actions still running, return every result."""
        if self._clock is not None:
            self._clock.cancel()
            await asyncio.gather(self._clock, return_exceptions=True)
        loop = asyncio.get_running_loop()
        for future in self._pending:
            self.results.append(await asyncio.wrap_future(future, loop=loop))
        self._pool.shutdown(wait=False)
        self.results.sort(key=lambda r: (r.started_at, r.hook_index))
        return self.results
