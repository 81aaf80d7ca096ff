"""A run's resilience side: monitors from before the first workload to after the last,
disruptions on the run's clock, and every sample and fault event stored with the run.

``start()`` starts the monitors, holds the load back until every monitor has been
green for ``health_gate`` seconds (or refuses the run after ``health_timeout``), then
arms the disruptions: each strikes ``at`` seconds after the first workload's load
starts (``load_started``, once its contexts are up), so the time before is a baseline.
``stop()`` cuts any fault still active short (it is restored), stops the monitors and
writes what is left. Fault events of the run's hook actions reach ``record_event`` (the
engine hands it to them) and are stored too: each run keeps its own, however many run
in one process.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from pathlib import Path

from squall.disruptors.base import Disruptor, TargetConfig
from squall.disruptors.journal import FaultJournal
from squall.disruptors.run import FaultEvent, Schedule, disrupt, plans, require
from squall.engine.workload import _plugin
from squall.errors import FaultError
from squall.hosts.inventory import Inventory, load_inventory
from squall.hosts.select import Duration, Mode
from squall.monitors.base import Monitor, MonitorEnv
from squall.monitors.schedule import MonitorSet
from squall.results.samples import FaultRecord, MonitorSample, SampleStore
from squall.results.store import Store
from squall.task.model import DisruptionSpec
from squall.task.validate import ValidatedResilience

FLUSH_EVERY = 1.0
GATE_POLL = 0.1


def _mode(disruptor: Disruptor) -> Mode:
    cfg = disruptor.config
    return cfg.mode if isinstance(cfg, TargetConfig) else "one"


def preflight(spec: ValidatedResilience, inventory: Inventory | None) -> list[str]:
    """Plan every disruption once, touching nothing (read-only lookups such as finding
    PIDs, and each plan's requirements): a target that matches nothing, a missing
    container or unit, an unreachable host, a missing tool or a quorum at risk is an
    error before the run. Returns the plans as lines (``--dry-run``)."""
    lines: list[str] = []
    rng = random.Random(spec.spec.seed)
    for number, (d, cls, config) in enumerate(spec.disruptions):
        disruptor = _plugin(cls, Disruptor)(config)
        title = d.description or f"disruption {number}: {d.disruptor.name}"
        lines.append(f"{title} at +{d.at:g} s, down {d.down}, {d.times} time(s)")
        for wave, faults in enumerate(plans(disruptor, inventory, _mode(disruptor), rng), 1):
            for fault in faults:
                require(fault)
                lines.append(f"  wave {wave}: {fault.disruptor} on {fault.target}")
                lines += [f"    {line}" for line in fault.lines()]
    return lines


def _duration(value: float | tuple[float, float]) -> Duration:
    low, high = value if isinstance(value, tuple) else (value, value)
    return Duration(low=low, high=high)


class ResilienceRun:
    """Monitors and disruptions of one run."""

    def __init__(
        self,
        spec: ValidatedResilience | None,
        store: Store,
        run_id: str,
        items: list[object],
    ) -> None:
        self.spec = spec
        self.run_id = run_id
        self.samples = SampleStore(store)
        self.items = items
        self.inventory: Inventory | None = None
        self.monitors: MonitorSet | None = None
        self._lock = threading.Lock()
        self._pending_samples: list[MonitorSample] = []
        self._pending_events: list[FaultRecord] = []
        self._stop = threading.Event()
        self._load = threading.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.errors: list[str] = []

    # -- sinks (any thread) ------------------------------------------------------------

    def _on_samples(self, samples: list[MonitorSample]) -> None:
        with self._lock:
            self._pending_samples += samples

    def record_event(self, event: FaultEvent) -> None:
        """Keep one fault event of this run (from any thread); stored at the next flush."""
        record = FaultRecord(
            event.disruptor, event.target, event.phase, event.at, event.ok, event.detail
        )
        with self._lock:
            self._pending_events.append(record)

    async def _flush(self) -> None:
        with self._lock:
            samples, self._pending_samples = self._pending_samples, []
            records, self._pending_events = self._pending_events, []
        if samples:
            await asyncio.to_thread(self.samples.add_samples, self.run_id, samples)
        if records:
            await asyncio.to_thread(self.samples.add_events, self.run_id, records)

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_EVERY)
            await self._flush()

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        self._flusher = asyncio.get_running_loop().create_task(self._flush_loop())
        spec = self.spec
        if spec is None:
            return
        if spec.spec.inventory:
            self.inventory = load_inventory(Path(spec.spec.inventory))
        await asyncio.to_thread(preflight, spec, self.inventory)
        env = MonitorEnv(items=self.items, inventory=self.inventory)
        monitors = [_plugin(cls, Monitor)(config, env) for cls, config in spec.monitors]
        if monitors:
            self.monitors = MonitorSet(monitors, self._on_samples)
            await self.monitors.start()
            await self._health_gate(spec.spec.health_gate, spec.spec.health_timeout)
        rng = random.Random(spec.spec.seed)
        journal = FaultJournal(Path(spec.spec.journal) if spec.spec.journal else None)
        loop = asyncio.get_running_loop()
        for d, cls, config in spec.disruptions:
            disruptor = _plugin(cls, Disruptor)(config)
            task = self._disrupt(d, disruptor, journal, random.Random(rng.random()))
            self._tasks.append(loop.create_task(task))

    def load_started(self) -> None:
        """The first workload's load starts: the disruptions' clock starts (any thread)."""
        self._load.set()

    def _wait_for_load(self) -> bool:
        """Block until the load starts (True) or the run stops first (False)."""
        self._load.wait()
        return not self._stop.is_set()

    async def _health_gate(self, seconds: float, timeout: float) -> None:
        if seconds <= 0 or self.monitors is None:
            return
        monitors = self.monitors
        deadline = time.monotonic() + timeout
        green_since: float | None = None
        while True:
            now = time.monotonic()
            if monitors.all_ok():
                green_since = green_since if green_since is not None else now
                if now - green_since >= seconds:
                    return
            else:
                green_since = None
            if now >= deadline:
                bad = sorted(f"{m}:{t}" for (m, t), s in monitors.latest.items() if not s.ok)
                failing = ", ".join(bad) or "none yet"
                raise FaultError(
                    f"the health gate did not pass: monitors were not all green for "
                    f"{seconds:g} s within {timeout:g} s (failing: {failing})",
                    hint="fix the cloud, or raise resilience.health_timeout",
                )
            await asyncio.sleep(GATE_POLL)

    async def _disrupt(
        self,
        spec: DisruptionSpec,
        disruptor: Disruptor,
        journal: FaultJournal,
        rng: random.Random,
    ) -> None:
        if not await asyncio.to_thread(self._wait_for_load):
            return
        if await asyncio.to_thread(self._stop.wait, spec.at):
            return
        schedule = Schedule(
            mode=_mode(disruptor),
            down=_duration(spec.down),
            cool_down=_duration(spec.cool_down),
            times=spec.times,
        )
        try:
            await asyncio.to_thread(
                disrupt,
                disruptor,
                schedule,
                journal,
                inventory=self.inventory,
                run_id=self.run_id,
                sink=self.record_event,
                stop=self._stop,
                rng=rng,
            )
        except FaultError as exc:
            self.errors.append(exc.message)
            self.record_event(
                FaultEvent(disruptor.name, "-", "failed", time.time(), False, exc.message)
            )

    async def stop(self) -> None:
        """Restore what is still disrupted, stop the monitors, store everything."""
        self._stop.set()
        self._load.set()  # disruptions still waiting for the load give up
        try:
            await asyncio.gather(*self._tasks, return_exceptions=True)
            if self.monitors is not None:
                await self.monitors.stop()
        finally:
            if self._flusher is not None:
                self._flusher.cancel()
                await asyncio.gather(self._flusher, return_exceptions=True)
            await self._flush()
