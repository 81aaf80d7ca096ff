"""Run monitors on their periods, on a fixed grid, until stopped.

Sample *k* of a monitor is due at ``t0 + k * period`` (monotonic clock), so the
schedule never drifts. Each monitor has its own thread: a slow probe delays only
its own monitor, and a sample still running when the next one is due makes that
one skipped (counted), never queued. Every probe becomes a ``MonitorSample``
carrying its lateness (``lag``) against the grid.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from squall.monitors.base import Monitor, Probe
from squall.results.samples import MonitorSample

SampleSink = Callable[[list[MonitorSample]], None]


class MonitorSet:
    """A run's monitors while it lasts."""

    def __init__(self, monitors: Sequence[Monitor], sink: SampleSink) -> None:
        self.monitors = list(monitors)
        self.sink = sink
        self.skipped: dict[str, int] = {m.label: 0 for m in self.monitors}
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, len(self.monitors)), thread_name_prefix="squall-monitor"
        )
        self._tasks: list[asyncio.Task[None]] = []
        self._busy: dict[int, asyncio.Future[None]] = {}
        self._lock = threading.Lock()
        self.latest: dict[tuple[str, str], MonitorSample] = {}

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._pool, m.start) for m in self.monitors))
        t0 = time.monotonic()
        self._tasks = [loop.create_task(self._loop(m, t0)) for m in self.monitors]

    async def _loop(self, monitor: Monitor, t0: float) -> None:
        loop = asyncio.get_running_loop()
        k = 0
        while True:
            due = t0 + k * monitor.period
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            busy = self._busy.get(id(monitor))
            if busy is not None and not busy.done():
                self.skipped[monitor.label] += 1
            else:
                self._busy[id(monitor)] = loop.run_in_executor(
                    self._pool, self._sample, monitor, due
                )
            k += 1

    def _sample(self, monitor: Monitor, due: float) -> None:
        lag = time.monotonic() - due
        at = time.time()
        try:
            probes = monitor.sample()
        except Exception as exc:  # a broken monitor plugin is one failed sample
            probes = [Probe("*", False, detail=f"{type(exc).__name__}: {exc}")]
        samples = [
            MonitorSample(
                monitor=monitor.label,
                target=p.target,
                at=at,
                lag=lag,
                ok=p.ok,
                latency=p.latency,
                value=p.value,
                detail=p.detail,
            )
            for p in probes
        ]
        with self._lock:
            for s in samples:
                self.latest[(s.monitor, s.target)] = s
        self.sink(samples)

    def all_ok(self) -> bool:
        """Whether the latest sample of every target seen so far succeeded."""
        with self._lock:
            return bool(self.latest) and all(s.ok for s in self.latest.values())

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.gather(*self._busy.values(), return_exceptions=True)
        loop = asyncio.get_running_loop()
        for monitor in self.monitors:
            await loop.run_in_executor(self._pool, monitor.stop)
        self._pool.shutdown(wait=True)
