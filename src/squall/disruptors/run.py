"""Carry faults out: inject -> verify -> (down time) -> restore -> verify recovery.

The undo is journaled before the first inject action; it is marked done only once
the restore went through. Each phase emits a ``FaultEvent`` with wall-clock time,
so monitors' samples and iterations line up with the faults on one timeline.
Blocking throughout: runs on worker threads (hook actions, the disruption schedule).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from squall.disruptors.actions import Check, holds, holds_or_raise, perform
from squall.disruptors.base import Disruptor, FaultPlan, TargetConfig
from squall.disruptors.journal import FaultJournal
from squall.errors import FaultError
from squall.hosts.inventory import Inventory, local_inventory
from squall.hosts.select import Duration, Mode, guard_quorum, waves

VERIFY_TIMEOUT = 30.0
RECOVERY_TIMEOUT = 120.0
#: when the run is being stopped, wait no longer than this for recovery
STOPPING_RECOVERY_TIMEOUT = 10.0
POLL = 0.1


@dataclass(frozen=True, slots=True)
class FaultEvent:
    """One moment of one fault: ``inject``, ``effect``, ``restore``, ``recovered`` or
    ``failed`` (``ok`` False when a verification timed out or an action failed)."""

    disruptor: str
    target: str
    phase: str
    at: float
    ok: bool = True
    detail: str = ""


EventSink = Callable[[FaultEvent], None]


def _ignore(_: FaultEvent) -> None:
    return None


@dataclass
class FaultOutcome:
    plan: FaultPlan
    events: list[FaultEvent] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(e.ok for e in self.events)


class Fault:
    """One planned fault on one host, phase by phase."""

    def __init__(
        self,
        plan: FaultPlan,
        journal: FaultJournal,
        *,
        run_id: str | None = None,
        sink: EventSink = _ignore,
    ) -> None:
        self.plan = plan
        self.journal = journal
        self.run_id = run_id
        self.outcome = FaultOutcome(plan)
        self._sink = sink
        self._entry: str | None = None

    def _event(self, phase: str, ok: bool = True, detail: str = "") -> None:
        event = FaultEvent(self.plan.disruptor, self.plan.target, phase, time.time(), ok, detail)
        self.outcome.events.append(event)
        self._sink(event)

    def inject(self) -> None:
        plan = self.plan
        try:
            require(plan)
        except FaultError as exc:
            self._event("inject", False, exc.message)
            raise
        self._entry = self.journal.begin(
            run_id=self.run_id, disruptor=plan.disruptor, target=plan.target, undo=list(plan.undo)
        )
        try:
            details = [perform(action) for action in plan.inject]
        except FaultError as exc:
            self._event("inject", False, exc.message)
            try:
                self.restore()
            except FaultError as undo:  # the user hears of the inject, which failed first
                raise FaultError(
                    exc.message,
                    hint=f"undoing it failed too ({undo.message}); its undo stays in the "
                    "journal: `squall faults list`, `squall faults cleanup`",
                ) from None
            raise
        self._event("inject", True, "; ".join(details))

    def verify(self, timeout: float = VERIFY_TIMEOUT) -> bool:
        """Wait for the effect; no event when the plan has nothing to verify."""
        if not self.plan.verify:
            return True
        ok = _wait(self.plan.verify, timeout)
        self._event("effect", ok, "" if ok else f"effect not seen within {timeout:g} s")
        return ok

    def restore(self) -> None:
        try:
            details = [perform(action) for action in self.plan.restore]
        except FaultError as exc:
            self._event("restore", False, exc.message)
            raise
        if self._entry is not None:
            self.journal.done(self._entry)
            self._entry = None
        self._event("restore", True, "; ".join(details))

    def verify_recovery(self, timeout: float = RECOVERY_TIMEOUT) -> bool:
        """Wait for recovery; no event when the plan has no recovery check."""
        if not self.plan.verify_recovery:
            return True
        ok = _wait(self.plan.verify_recovery, timeout)
        self._event("recovered", ok, "" if ok else f"not recovered within {timeout:g} s")
        return ok

    def run(self, down: float, stop: threading.Event | None = None) -> FaultOutcome:
        """The whole fault; ``stop`` cuts the down time short (abort) — restore still runs,
        and recovery is awaited for a short while only."""
        stop = stop or threading.Event()
        self.inject()
        try:
            self.verify()
            stop.wait(down)
        finally:
            self.restore()
        self.verify_recovery(STOPPING_RECOVERY_TIMEOUT if stop.is_set() else RECOVERY_TIMEOUT)
        return self.outcome


def require(plan: FaultPlan) -> None:
    """Raise FaultError when one of the plan's requirements does not hold, or its host
    cannot be reached (read-only)."""
    for requirement in plan.requires:
        if not holds_or_raise(requirement.check):
            raise FaultError(
                f"{plan.disruptor} on {plan.target}: {requirement.problem}",
                hint=requirement.hint,
            )


def _wait(checks: Sequence[Check], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if all(holds(c) for c in checks):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL)


@dataclass(frozen=True)
class Schedule:
    """How often, on whom and for how long a disruptor strikes."""

    mode: Mode = "one"
    down: Duration = field(default_factory=lambda: Duration(low=0, high=0))
    cool_down: Duration = field(default_factory=lambda: Duration(low=0, high=0))
    times: int = 1


def plans(
    disruptor: Disruptor, inventory: Inventory | None, mode: Mode, rng: random.Random
) -> list[list[FaultPlan]]:
    """The waves of plans the disruptor would carry out (``--dry-run`` prints them)."""
    inventory = inventory or local_inventory()
    hosts = disruptor.candidates(inventory)
    chosen = waves(hosts, mode, rng)
    cfg = disruptor.config
    allow = isinstance(cfg, TargetConfig) and cfg.allow_quorum_loss
    for wave in chosen:
        guard_quorum(disruptor.quorum_service(), len(hosts), len(wave), inventory.quorum, allow)
    return [[disruptor.plan(host) for host in wave] for wave in chosen]


def disrupt(  # noqa: PLR0913 - the knobs of a disruption
    disruptor: Disruptor,
    schedule: Schedule,
    journal: FaultJournal,
    *,
    inventory: Inventory | None = None,
    run_id: str | None = None,
    sink: EventSink = _ignore,
    stop: threading.Event | None = None,
    rng: random.Random | None = None,
) -> list[FaultOutcome]:
    """Strike ``schedule.times`` times; hosts of one wave are hit at once."""
    rng = rng or random.Random()
    stop = stop or threading.Event()
    outcomes: list[FaultOutcome] = []
    for _ in range(schedule.times):
        for wave in plans(disruptor, inventory, schedule.mode, rng):
            if stop.is_set():
                return outcomes
            down = schedule.down.draw(rng)
            faults = [Fault(p, journal, run_id=run_id, sink=sink) for p in wave]
            with ThreadPoolExecutor(max_workers=max(1, len(faults))) as pool:
                outcomes += list(
                    pool.map(Fault.run, faults, [down] * len(faults), [stop] * len(faults))
                )
            stop.wait(schedule.cool_down.draw(rng))
    return outcomes
