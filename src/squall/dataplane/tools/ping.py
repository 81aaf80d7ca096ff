"""ping (iputils): round-trip-time histogram and loss.

Every reply line's ``time=`` goes into an HdrHistogram; ``icmp_seq`` places it in a
report interval (``seq * interval``); the summary line gives transmitted and received.
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


def parse(text: str, interval: float = 1.0, report_interval: float = 1.0) -> Measurement:
    summary = _SUMMARY.search(text)
    if summary is None:
        first = text.strip().splitlines()[:1]
        raise ToolOutputError(f"ping printed no summary: {first[0] if first else 'nothing'}")
    transmitted, received = int(summary.group(1)), int(summary.group(2))
    rtt = Histogram()
    buckets: dict[int, Histogram] = {}
    for seq, ms in _REPLY.findall(text):
        seconds = float(ms) / 1000.0
        rtt.record(seconds)
        slot = int((int(seq) - 1) * interval // report_interval)
        buckets.setdefault(slot, Histogram()).record(seconds)
    loss = 100.0 * (transmitted - received) / transmitted if transmitted else 0.0
    intervals = [
        IntervalMeasurement(
            slot * report_interval,
            (slot + 1) * report_interval,
            {"received": float(hist.count)},
            {"rtt": hist},
        )
        for slot, hist in sorted(buckets.items())
    ]
    return Measurement(
        counters={
            "transmitted": float(transmitted),
            "received": float(received),
            "loss_percent": loss,
        },
        histograms={"rtt": rtt},
        intervals=intervals,
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
        )

    def parse(self, args: Any, report: dict[str, Any], timing: Timing) -> Measurement:
        return parse(str(report.get("stdout", "")), args.interval, timing.report_interval)
