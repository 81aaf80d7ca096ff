"""What a data-plane tool is: pure ``build_command()`` and ``parse()`` around an agent.

A tool turns its typed arguments and a target into what a client agent runs (an argv
for an allow-listed binary, or the agent's own HTTP generator), optionally names the
service its server agent must start, and turns the agent's report back into a
``Measurement``: counters (summed across agents), HdrHistograms (merged losslessly)
and per-interval values. While a test runs, the client agent sends the tool's new
output (or the generator's snapshot) every report interval; the tool's
``IntervalParser`` turns those interim reports into finished intervals, shown live and
kept as a lost agent's partial result. No I/O here; tested on outputs recorded from
real runs.
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
    #: seconds between interim reports of the tool's output (None: final report only)
    report_interval: float | None = None


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


class IntervalParser(ABC):
    """One client's interim reports, fed in order, as finished intervals (pure, keeps state).

    ``feed`` takes a non-final report's data (``output``: the tool's new stdout lines, or
    ``interval``: the generator's snapshot) and returns the intervals it completed;
    ``flush`` returns the last, unfinished one; ``measurement`` is what everything fed
    so far adds up to (the partial result of an agent lost mid-test).

    An HdrHistogram takes some 200 KB: a parser that only follows a run (one per client,
    for the whole test) sets ``keep_interval_histograms`` to False and keeps their sum,
    and each interval's counters.
    """

    def __init__(self) -> None:
        self.intervals: list[IntervalMeasurement] = []
        self.keep_interval_histograms = True
        self._histograms: dict[str, Histogram] = {}

    def feed(self, data: dict[str, Any]) -> list[IntervalMeasurement]:
        return self._keep(self._feed(data))

    def flush(self) -> list[IntervalMeasurement]:
        return self._keep(self._flush())

    def _keep(self, done: list[IntervalMeasurement]) -> list[IntervalMeasurement]:
        for item in done:
            merge_histograms(self._histograms, item.histograms)
            if not self.keep_interval_histograms:
                item = IntervalMeasurement(item.start, item.end, item.counters)
            self.intervals.append(item)
        return done

    @abstractmethod
    def _feed(self, data: dict[str, Any]) -> list[IntervalMeasurement]: ...

    def _flush(self) -> list[IntervalMeasurement]:
        return []

    def measurement(self) -> Measurement:
        return Measurement(self.totals(), dict(self._histograms), list(self.intervals))

    def totals(self) -> dict[str, float]:
        """Counters for the whole of what was fed; none unless the tool knows how."""
        return {}


class LineParser(IntervalParser):
    """An ``IntervalParser`` over text output, one line at a time."""

    def __init__(self) -> None:
        super().__init__()
        self._rest = ""

    def _feed(self, data: dict[str, Any]) -> list[IntervalMeasurement]:
        text = self._rest + str(data.get("output", ""))
        lines = text.split("\n")
        self._rest = lines.pop()  # an unfinished line waits for the next report
        done: list[IntervalMeasurement] = []
        for line in lines:
            done.extend(self.line(line))
        return done

    def _flush(self) -> list[IntervalMeasurement]:
        rest, self._rest = self._rest, ""
        return self.line(rest) if rest else []

    @abstractmethod
    def line(self, line: str) -> list[IntervalMeasurement]:
        """The intervals that ``line`` completes."""


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

    def interim(self, args: Any, timing: Timing) -> IntervalParser | None:
        """A parser of one client's interim reports, or None: the tool reports at the end only."""
        return None

    def describe(self, counters: dict[str, float], seconds: float) -> str:
        """One line about ``counters`` measured over ``seconds`` (an interval or a test)."""
        return ", ".join(f"{k}={v:g}" for k, v in list(counters.items())[:3]) or "-"

    @abstractmethod
    def client_command(self, args: Any, target: Target, timing: Timing) -> ClientCommand:
        """The command a client agent runs against ``target``."""

    @abstractmethod
    def parse(self, args: Any, report: dict[str, Any], timing: Timing) -> Measurement:
        """Read a client agent's final report (``stdout`` or ``intervals``)."""


def merge_counters(into: dict[str, float], other: dict[str, float]) -> None:
    for key, value in other.items():
        into[key] = into.get(key, 0.0) + value


def merge_histograms(into: dict[str, Histogram], other: dict[str, Histogram]) -> None:
    for name, hist in other.items():
        if name not in into:
            into[name] = Histogram(hist.range)
        into[name].merge(hist)
