"""What a data-plane tool is: pure ``build_command()`` and ``parse()`` around an agent.

A tool turns its typed arguments and a target into what a client agent runs (an argv
for an allow-listed binary, or the agent's own HTTP generator), optionally names the
service its server agent must start, and turns the agent's report back into a
``Measurement``: counters (summed across agents), HdrHistograms (merged losslessly)
and per-interval values. No I/O here; tested on outputs recorded from real runs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from squall.plugins.base import Plugin
from squall.plugins.families import Family
from squall.stats.histogram import Histogram


class ToolArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Target:
    """Where a client sends its traffic: an address as seen from the client."""

    host: str
    port: int
    server: str  # the server agent's id


@dataclass(frozen=True)
class Timing:
    duration: float
    warmup: float = 0.0
    report_interval: float = 1.0


@dataclass
class ClientCommand:
    """What the client agent runs: ``argv`` (OP_RUN) or a generator ``spec`` (OP_HTTPLOAD)."""

    op: str
    argv: list[str] | None = None
    spec: dict[str, Any] | None = None
    assets: list[str] = field(default_factory=list)
    timeout: float = 600.0


@dataclass
class IntervalMeasurement:
    start: float  # seconds from the start of the test
    end: float
    counters: dict[str, float] = field(default_factory=dict)
    histograms: dict[str, Histogram] = field(default_factory=dict)


@dataclass
class Measurement:
    """One agent's result for one test run."""

    counters: dict[str, float] = field(default_factory=dict)
    histograms: dict[str, Histogram] = field(default_factory=dict)
    intervals: list[IntervalMeasurement] = field(default_factory=list)
    error: str | None = None


class ToolOutputError(ValueError):
    """The tool's output cannot be read (message says what was expected)."""


class Tool(Plugin, ABC):
    """Base of data-plane tools. ``Config`` holds the test's ``args``."""

    family: ClassVar[Family] = Family.TOOL
    Config: ClassVar[type[BaseModel]] = ToolArgs
    #: Counters that are rates or ratios: averaged over agents, not summed.
    averaged: ClassVar[frozenset[str]] = frozenset()
    #: The counter that best says "how good" (for the host matrix), higher is better.
    headline: ClassVar[str] = ""

    def server_service(self, args: Any, port: int) -> dict[str, Any] | None:
        """The service spec the server agent must run for one client, or None."""
        return None

    @abstractmethod
    def client_command(self, args: Any, target: Target, timing: Timing) -> ClientCommand:
        """The command a client agent runs against ``target``."""

    @abstractmethod
    def parse(self, args: Any, report: dict[str, Any], timing: Timing) -> Measurement:
        """Read a client agent's final report (``stdout`` or ``intervals``)."""


def merge_counters(into: dict[str, float], other: dict[str, float]) -> None:
    for key, value in other.items():
        into[key] = into.get(key, 0.0) + value
