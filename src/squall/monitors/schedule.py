"""Run monitors on their periods, on a fixed grid, until stopped.

Sample *k* of a monitor is due at ``t0 + k * period`` (monotonic clock), so the
schedule never drifts. Each monitor (or each of its lanes, e.g. one per API endpoint)
runs on a thread of its own, not on the event loop: a busy engine loop does not
delay a sample, and a slow probe delays only its own lane. A sample still running
when the next one is due makes that one skipped (counted), never queued. Every
probe becomes a ``MonitorSample`` carrying its lateness (``lag``) against the grid.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable, Sequence

from squall.monitors.base import Monitor, Probe
from squall.results.samples import MonitorSample

SampleSink = Callable[[list[MonitorSample]], None]


class MonitorSet:
    """A run's monitors while it lasts."""

    def __init__(self, monitors: Sequence[Monitor], sink: SampleSink) -> None:
        self.monitors = list(monitors)
        self.sink = sink
        self.skipped: dict[str, int] = {m.label: 0 for m in self.monitors}
        self.latest: dict[tuple[str, str], MonitorSample] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    async def start(self) -> None:
        """Start every monitor (in parallel, off the loop), then their sampling threads."""
        await asyncio.gather(*(asyncio.to_thread(m.start) for m in self.monitors))
        t0 = time.monotonic()
        for monitor in self.monitors:
            for lane in monitor.lanes():
                thread = threading.Thread(
                    target=self._loop, args=(lane, t0), name=f"squall-monitor-{lane.label}"
                )
                thread.start()
                self._threads.append(thread)

    def _loop(self, monitor: Monitor, t0: float) -> None:
        k = 0
        while True:
            due = t0 + k * monitor.period
            if self._stop.wait(max(0.0, due - time.monotonic())):
                return
            self._sample(monitor, due)
            behind = math.floor((time.monotonic() - t0) / monitor.period) + 1
            if behind > k + 1:
                with self._lock:
                    self.skipped[monitor.label] += behind - (k + 1)
            k = max(k + 1, behind)

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
        """Let samples in flight finish, then stop every monitor."""
        self._stop.set()
        for thread in self._threads:
            await asyncio.to_thread(thread.join)
        await asyncio.gather(*(asyncio.to_thread(m.stop) for m in self.monitors))
