"""Interim results of one test repetition while it runs.

Every client's non-final reports go through the tool's ``IntervalParser``; the finished
intervals are merged across clients by their number (start / report interval:
counters summed, histograms merged) and
shown as one line each, in order, once every client reported it, or once later
intervals came in (a lost or slow client does not hold the display up). ``on_line``
gets each line (the run prints it and keeps it in ``progress.json``); a lost client's
intervals are its partial result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from squall.dataplane.controller.state import Report
from squall.dataplane.tools.base import (
    IntervalMeasurement,
    IntervalParser,
    Measurement,
    Timing,
    Tool,
    ToolOutputError,
    merge_counters,
    merge_histograms,
)

#: An interval much shorter than the report interval is the tail after the end: not shown.
TAIL = 0.1


@dataclass
class LiveLine:
    start: float
    end: float
    clients: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "clients": self.clients, "text": self.text}


class LiveTest:
    """One test repetition while it runs: its clients' parsers and the merged intervals.

    ``clients`` maps each client command's id to its agent; ``add`` takes every report
    of those commands (others are ignored): interim ones are parsed, a final one
    finishes the client's last interval.
    """

    def __init__(
        self,
        tool: Tool,
        args: Any,
        timing: Timing,
        clients: dict[str, str],
        label: str,
        *,
        repetition: int = 0,
        start_at: float = 0.0,
    ) -> None:
        self.tool = tool
        self.args = args
        self.timing = timing
        self.clients = clients  # command id -> client agent
        self.label = label
        self.repetition = repetition
        self.start_at = start_at
        self.lines: list[LiveLine] = []
        #: called with each line shown: (this test, the line for a terminal)
        self.on_line: Callable[[LiveTest, str], None] | None = None
        self._parsers: dict[str, IntervalParser] = {}
        self._merged: dict[int, IntervalMeasurement] = {}
        self._from: dict[int, set[str]] = {}
        self._shown: set[int] = set()
        self._newest = -1  # the latest interval any client finished

    def progress(self, last: int = 5) -> dict[str, Any]:
        """Where this repetition is, with its last lines (``progress.json``)."""
        return {
            "test": self.label,
            "tool": self.tool.name,
            "repetition": self.repetition,
            "start_at": self.start_at,
            "duration": self.timing.duration,
            "warmup": self.timing.warmup,
            "clients": len(self.clients),
            "lines": [line.as_dict() for line in self.lines[-last:]],
        }

    @property
    def streams(self) -> bool:
        """Whether the tool sends interim data at all."""
        return self.tool.interim(self.args, self.timing) is not None

    def add(self, report: Report) -> None:
        parser = self._parser(report.command)
        if parser is None:
            return
        try:
            # a final report ends the client's last interval (its output is read elsewhere)
            done = parser.flush() if report.final else parser.feed(report.data)
        except (ToolOutputError, KeyError, ValueError, TypeError):
            return  # an unreadable interim report: the final report decides
        for item in done:
            key = self._key(item)
            self._newest = max(self._newest, key)
            if key in self._shown:
                continue  # a straggler's share of a line already shown
            into = self._merged.setdefault(key, IntervalMeasurement(item.start, item.end))
            into.start, into.end = min(into.start, item.start), max(into.end, item.end)
            merge_counters(into.counters, item.counters)
            merge_histograms(into.histograms, item.histograms)
            self._from.setdefault(key, set()).add(report.command)
        if done:
            self._show_ready()

    def partial(self, command: str) -> Measurement | None:
        """What ``command``'s client reported before it went silent, if anything."""
        parser = self._parsers.get(command)
        if parser is None:
            return None
        parser.flush()
        measurement = parser.measurement()
        return measurement if measurement.intervals or measurement.counters else None

    def _parser(self, command: str) -> IntervalParser | None:
        if command not in self.clients:
            return None
        if command not in self._parsers:
            parser = self.tool.interim(self.args, self.timing)
            if parser is None:
                return None
            parser.keep_interval_histograms = False  # kept for the whole test, per client
            self._parsers[command] = parser
        return self._parsers[command]

    def _key(self, item: IntervalMeasurement) -> int:
        step = self.timing.report_interval
        return round(item.start / step) if step > 0 else round(item.start * 1000)

    def _show_ready(self) -> None:
        for key in sorted(self._merged):
            complete = len(self._from[key]) >= len(self.clients)
            if not complete and key >= self._newest - 1:
                return  # shown in order: wait for the slower clients
            self._shown.add(key)
            self._show(self._merged.pop(key), len(self._from.pop(key)))

    def _show(self, item: IntervalMeasurement, clients: int) -> None:
        seconds = item.end - item.start
        if seconds < TAIL * self.timing.report_interval:
            return
        text = self.tool.describe(item.counters, seconds)
        latency = [
            f"{name} p50 {h.value_at(50) * 1e3:.3f} p99 {h.value_at(99) * 1e3:.3f} ms"
            for name, h in item.histograms.items()
            if h.count
        ]
        line = LiveLine(item.start, item.end, clients, "  ".join([text, *latency]))
        self.lines.append(line)
        if self.on_line is not None:
            of = f"({clients}/{len(self.clients)})"
            self.on_line(self, f"  {self.label} t={item.end:>5.1f}s  {line.text}  {of}")
