"""The monitor family contract: ``sample()`` probes every target once and says how it went.

A monitor runs on its own ``period`` all through a run (``monitors.schedule``);
``sample()`` blocks and runs on a worker thread. ``start()`` and ``stop()`` open and
close what it needs (sessions); ``MonitorEnv`` gives it the run's shared objects.
"""

from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from squall.hosts.inventory import Inventory
from squall.plugins.base import Plugin
from squall.plugins.families import Family

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Probe:
    """One target's result in one sample."""

    target: str
    ok: bool
    latency: float | None = None
    value: float | None = None
    detail: str = ""


def timed(target: str, call: Callable[[], object]) -> Probe:
    """Probe ``target`` with ``call``: ok unless it raises; latency from a monotonic clock."""
    started = time.perf_counter()
    try:
        call()
    except Exception as exc:  # any failure of the probed thing is a failed probe
        detail = f"{type(exc).__name__}: {exc}"[:500]
        return Probe(target, False, time.perf_counter() - started, detail=detail)
    return Probe(target, True, time.perf_counter() - started)


@dataclass
class MonitorEnv:
    """What a run shares with its monitors."""

    items: list[object] = field(default_factory=list)
    """The run's context items (e.g. an OpenStack environment)."""
    inventory: Inventory | None = None

    def find(self, kind: type[T]) -> T | None:
        return next((item for item in self.items if isinstance(item, kind)), None)


class MonitorConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: float = Field(1.0, ge=0.05, description="seconds between samples")
    label: str | None = Field(None, description="name of this monitor's series (default: plugin)")


class Monitor(Plugin):
    """Base of monitors. ``Config`` should derive from ``MonitorConfig``."""

    family: ClassVar = Family.MONITOR
    Config: ClassVar[type[BaseModel]] = MonitorConfig

    def __init__(self, config: BaseModel, env: MonitorEnv | None = None) -> None:
        self.config = config
        self.env = env or MonitorEnv()

    @property
    def period(self) -> float:
        cfg = self.config
        return cfg.period if isinstance(cfg, MonitorConfig) else 1.0

    @property
    def label(self) -> str:
        cfg = self.config
        return (cfg.label if isinstance(cfg, MonitorConfig) else None) or self.name

    def start(self) -> None:
        """Open what sampling needs (called once, off the loop, before the first sample)."""

    def stop(self) -> None:
        """Release it (called once, after the last sample)."""

    @abstractmethod
    def sample(self) -> list[Probe]:
        """Probe every target once."""

    def lanes(self) -> list[Monitor]:
        """What is sampled on a grid (and a thread) of its own: the monitor itself, or
        one lane per target when a slow target must not delay the others."""
        return [self]
