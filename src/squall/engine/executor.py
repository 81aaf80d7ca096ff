"""The one iteration executor every runner shares.

A runner's ``Schedule`` says when iteration i may start; this module starts it,
on the event loop (async scenarios) or on one bounded thread pool (blocking ones),
applies the per-iteration timeout, records the result and hands it to the sink.

Closed-loop schedules are served by ``workers`` coroutines that each take the next
slot when their iteration ends. Open-loop schedules are served by one dispatcher
that starts every iteration at its slot, with at most ``workers`` in flight.
"""

from __future__ import annotations

import asyncio
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel

from squall.engine.abort import AbortSignal
from squall.iteration import ErrorInfo, IterationResult
from squall.runners.base import Schedule, Slot
from squall.scenarios.atomic import AtomicRecorder
from squall.scenarios.base import Scenario, ScenarioBase, ScenarioContext


@dataclass(frozen=True)
class ScenarioCall:
    """What one iteration runs: the scenario class, its config and its context."""

    cls: type[ScenarioBase]
    config: BaseModel
    context: ScenarioContext


@dataclass
class LoadWindow:
    """The monotonic clock origin of a workload's load, and the wall clock at it."""

    t0: float
    wall_offset: float  # wall clock minus monotonic clock

    @classmethod
    def now(cls) -> LoadWindow:
        t0 = time.monotonic()
        return cls(t0=t0, wall_offset=time.time() - t0)


class _Started:
    """Filled by a blocking iteration in its thread: the moment it really began."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at = 0.0


class Backpressure(Protocol):
    """Results not stored yet: a closed loop waits for room before its next iteration."""

    @property
    def full(self) -> bool: ...

    async def room(self) -> None: ...


class Executor:
    """Runs one workload's iterations along a schedule.

    A closed loop runs no faster than its results are stored (``backpressure``), so
    memory stays bounded however fast the scenario is. An open loop is never held
    back: its schedule is the measurement.
    """

    def __init__(  # noqa: PLR0913 - each collaborator is distinct and required
        self,
        call: ScenarioCall,
        schedule: Schedule,
        *,
        workers: int,
        timeout: float | None,
        pool: ThreadPoolExecutor,
        abort: AbortSignal,
        sink: Callable[[IterationResult], None],
        on_start: Callable[[int, float], None] = lambda number, offset: None,
        backpressure: Backpressure | None = None,
    ) -> None:
        self.call = call
        self.schedule = schedule
        self.workers = workers
        self.timeout = timeout
        self.pool = pool
        self.abort = abort
        self.sink = sink
        self.on_start = on_start
        self.backpressure = backpressure
        self.window = LoadWindow.now()
        self._inflight: set[asyncio.Task[None]] = set()

    def offset(self) -> float:
        return time.monotonic() - self.window.t0

    async def run(self) -> None:
        """Run until the schedule ends or an abort; return once nothing is in flight."""
        self.window = LoadWindow.now()
        main = asyncio.ensure_future(
            self._open_loop() if self.schedule.open_loop else self._closed_loop()
        )
        hard = asyncio.ensure_future(self.abort.wait_hard())
        try:
            await asyncio.wait({main, hard}, return_when=asyncio.FIRST_COMPLETED)
            if not main.done():
                main.cancel()
                for task in list(self._inflight):
                    task.cancel()
                await asyncio.gather(main, *self._inflight, return_exceptions=True)
        finally:
            hard.cancel()

    async def _closed_loop(self) -> None:
        async with asyncio.TaskGroup() as group:
            for _ in range(self.workers):
                task = group.create_task(self._worker())
                self._inflight.add(task)

    async def _worker(self) -> None:
        backpressure = self.backpressure
        while not self.abort.requested:
            if backpressure is not None and backpressure.full:
                await backpressure.room()
            slot = self.schedule.next(self.offset())
            if slot is None:
                return
            await self._wait_until(slot.not_before)
            await self._iteration(slot)

    async def _open_loop(self) -> None:
        room = asyncio.Semaphore(self.workers)
        while not self.abort.requested:
            slot = self.schedule.next(self.offset())
            if slot is None:
                break
            await self._wait_until(slot.not_before)
            await room.acquire()
            if self.abort.stopping():
                room.release()
                break
            task = asyncio.ensure_future(self._iteration(slot))
            self._inflight.add(task)

            def done(t: asyncio.Task[None]) -> None:
                self._inflight.discard(t)
                room.release()

            task.add_done_callback(done)
        if self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)

    async def _wait_until(self, target: float) -> None:
        delay = target - self.offset()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _iteration(self, slot: Slot) -> None:
        recorder = AtomicRecorder(self.window.wall_offset)
        scenario = self.call.cls(self.call.config, self.call.context, slot.number, recorder)
        started = _Started()
        started.at = time.monotonic()
        self.on_start(slot.number, started.at - self.window.t0)
        error: ErrorInfo | None = None
        timed_out = False
        try:
            await self._invoke(scenario, started)
        except TimeoutError:
            timed_out = True
            error = ErrorInfo("TimeoutError", f"iteration timed out after {self.timeout} s")
        except asyncio.CancelledError:
            error = ErrorInfo("RunAborted", "iteration stopped by a hard abort")
        except Exception as exc:  # a failed iteration: any exception the scenario raised
            error = ErrorInfo(type(exc).__name__, str(exc), traceback.format_exc())
        end = time.monotonic()
        duration = end - started.at - scenario.idle_duration
        if timed_out and self.timeout is not None:
            duration = self.timeout
        self.sink(
            IterationResult(
                number=slot.number,
                scheduled_offset=slot.scheduled,
                start_offset=started.at - self.window.t0,
                timestamp=started.at + self.window.wall_offset,
                duration=max(duration, 0.0),
                idle_duration=scenario.idle_duration,
                error=error,
                atomic_actions=recorder.actions,
                output=scenario.output,
            )
        )

    async def _invoke(self, scenario: ScenarioBase, started: _Started) -> None:
        if scenario.is_async:
            coro = scenario.run()  # type: ignore[attr-defined]
            if self.timeout is None:
                await coro
            else:
                await asyncio.wait_for(coro, self.timeout)
            return
        assert isinstance(scenario, Scenario)

        def in_thread() -> None:
            started.at = time.monotonic()
            scenario.run()

        future = asyncio.get_running_loop().run_in_executor(self.pool, in_thread)
        if self.timeout is None:
            await future
        else:
            # The thread cannot be killed: it is left to finish in the background
            # while the iteration is recorded as timed out.
            await asyncio.wait_for(asyncio.shield(future), self.timeout)
