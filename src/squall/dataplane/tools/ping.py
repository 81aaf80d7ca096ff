"""ping (iputils): round-trip-time histogram and loss.

Every reply line's ``time=`` goes into an HdrHistogram; ``icmp_seq`` places it in a
report interval (``seq * interval``); the summary line gives transmitted and received.
iputils ping flushes each reply line, so the agent streams them while ping runs.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar

from pydantic import Field

from squall.dataplane.agent import protocol
from squall.dataplane.tools.base import (
    ClientCommand,
    IntervalMeasurement,
    IntervalParser,
    LineParser,
    Measurement,
    Target,
    Timing,
    Tool,
    ToolArgs,
    ToolOutputError,
)
from squall.stats.histogram import Histogram

_REPLY = re.compile(r"icmp_seq=(\d+)\b.*?\btime=([\d.]+) ms")
_SUMMARY = re.compile(r"(\d+) packets transmitted, (\d+) (?:packets )?received")


class PingArgs(ToolArgs):
    interval: float = Field(0.2, ge=0.002, le=60, description="seconds between echo requests")
    size: int = Field(56, ge=0, le=65507, description="payload bytes")


def count_for(args: PingArgs, timing: Timing) -> int:
    return max(1, math.floor(timing.duration / args.interval))


def build_command(args: PingArgs, target: Target, timing: Timing) -> list[str]:
    return [
        "ping",
        "-n",
        "-c",
        str(count_for(args, timing)),
        "-i",
        f"{args.interval:g}",
        "-s",
        str(args.size),
        "-W",
        "2",
        target.host,
    ]


class Replies(LineParser):
    """Reply lines into report intervals: ``icmp_seq`` places a reply at ``seq * interval``.

    An interval is finished when a reply of a later one comes (replies come in order of
    their sequence numbers, each up to ``-W`` seconds late).
    """

    def __init__(self, interval: float = 1.0, report_interval: float = 1.0) -> None:
        super().__init__()
        self.interval = interval
        self.report_interval = report_interval
        self.rtt = Histogram()
        self.highest_seq = 0
        self._slot: int | None = None
        self._hist = Histogram()

    def line(self, line: str) -> list[IntervalMeasurement]:
        reply = _REPLY.search(line)
        if reply is None:
            return []
        seq, seconds = int(reply.group(1)), float(reply.group(2)) / 1000.0
        self.highest_seq = max(self.highest_seq, seq)
        self.rtt.record(seconds)
        slot = int((seq - 1) * self.interval // self.report_interval)
        done = self._flush() if self._slot is not None and slot > self._slot else []
        if self._slot is None or slot > self._slot:
            self._slot = slot
        self._hist.record(seconds)
        return done

    def _flush(self) -> list[IntervalMeasurement]:
        if self._slot is None:
            return []
        hist, self._hist = self._hist, Histogram()
        start = self._slot * self.report_interval
        return [
            IntervalMeasurement(
                start, start + self.report_interval, {"received": float(hist.count)}, {"rtt": hist}
            )
        ]

    def totals(self) -> dict[str, float]:
        """Replies so far; the highest sequence number seen is a floor of those sent."""
        received = float(self.rtt.count)
        sent = float(self.highest_seq)
        loss = 100.0 * (sent - received) / sent if sent else 0.0
        return {"transmitted": sent, "received": received, "loss_percent": loss}


def parse(text: str, interval: float = 1.0, report_interval: float = 1.0) -> Measurement:
    summary = _SUMMARY.search(text)
    if summary is None:
        first = text.strip().splitlines()[:1]
        raise ToolOutputError(f"ping printed no summary: {first[0] if first else 'nothing'}")
    transmitted, received = int(summary.group(1)), int(summary.group(2))
    replies = Replies(interval, report_interval)
    replies.feed({"output": text})
    replies.flush()
    loss = 100.0 * (transmitted - received) / transmitted if transmitted else 0.0
    return Measurement(
        counters={
            "transmitted": float(transmitted),
            "received": float(received),
            "loss_percent": loss,
        },
        histograms={"rtt": replies.rtt},
        intervals=replies.intervals,
    )


class Ping(Tool):
    """ICMP echo round-trip times and loss (iputils ping)."""

    name: ClassVar[str] = "ping"
    Config = PingArgs
    averaged: ClassVar[frozenset[str]] = frozenset({"loss_percent"})
    headline: ClassVar[str] = "received"

    def client_command(self, args: Any, target: Target, timing: Timing) -> ClientCommand:
        return ClientCommand(
            protocol.OP_RUN,
            argv=build_command(args, target, timing),
            timeout=timing.duration + 30,
            report_interval=timing.report_interval,
        )

    def parse(self, args: Any, report: dict[str, Any], timing: Timing) -> Measurement:
        return parse(str(report.get("stdout", "")), args.interval, timing.report_interval)

    def interim(self, args: Any, timing: Timing) -> IntervalParser:
        return Replies(args.interval, timing.report_interval)

    def describe(self, counters: dict[str, float], seconds: float) -> str:
        received = counters.get("received", 0.0)
        if "transmitted" not in counters:
            return f"{received:.0f} replies"
        sent, loss = counters["transmitted"], counters.get("loss_percent", 0.0)
        return f"{received:.0f}/{sent:.0f} replies, loss {loss:.1f} %"
