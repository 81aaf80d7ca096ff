"""iperf3 TCP and UDP: goodput from the receiver's summary, retransmits, jitter and loss.

iperf3 runs with ``-f k --forceflush``: one text line per stream and report interval,
flushed as it happens, so the agent streams them while the test runs (``-J`` prints
nothing before the end, and ``--json-stream`` needs iperf3 >= 3.17, newer than the
3.9-3.16 of current Debian and Ubuntu images). Bit rates come in whole kbit/s; the
final figures are the summary's ``receiver`` line (goodput, as ``sum_received`` in
JSON) and ``sender`` line (retransmits), ``[SUM]`` lines when there are several
streams. ``-M/--set-mss`` sets the MSS (Shaker's ``--mss`` bug); each client gets its
own server port because an iperf3 server runs one test at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

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

_LINE = re.compile(
    r"^\[\s*(?P<id>\d+|SUM)\]\s+(?P<start>[\d.]+)-(?P<end>[\d.]+)\s+sec\s+"
    r"[\d.]+\s+\w*Bytes\s+(?P<kbits>[\d.]+)\s+Kbits/sec\s*(?P<rest>.*?)\s*$"
)
_UDP_END = re.compile(r"(?P<jitter>[\d.]+) ms\s+(?P<lost>\d+)/(?P<total>\d+)")
_ERROR = re.compile(r"^iperf3: (?:error|interrupt) - (.*)$", re.MULTILINE)


class Iperf3Args(ToolArgs):
    protocol: Literal["tcp", "udp"] = "tcp"
    streams: int = Field(1, ge=1, le=128)
    bandwidth: str | None = Field(None, description="target bitrate, e.g. 1G; UDP default 1M")
    length: int | None = Field(None, ge=1, description="buffer / datagram size in bytes")
    mss: int | None = Field(None, ge=88)
    reverse: bool = False


def build_command(args: Iperf3Args, target: Target, timing: Timing) -> list[str]:
    argv = ["iperf3", "-c", target.host, "-p", str(target.port), "-f", "k", "--forceflush"]
    argv += ["-t", _seconds(timing.duration), "-i", _seconds(timing.report_interval)]
    if timing.warmup > 0:
        argv += ["-O", _seconds(timing.warmup)]
    if args.streams > 1:
        argv += ["-P", str(args.streams)]
    if args.protocol == "udp":
        argv.append("-u")
    if args.bandwidth is not None:
        argv += ["-b", args.bandwidth]
    if args.length is not None:
        argv += ["-l", str(args.length)]
    if args.mss is not None:
        argv += ["-M", str(args.mss)]
    if args.reverse:
        argv.append("-R")
    return argv


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class Row:
    """One bit-rate line of iperf3's text output."""

    start: float
    end: float
    bits_per_second: float
    rest: str  # what follows the bit rate: retransmits, datagrams, jitter and loss, role

    @property
    def role(self) -> str:
        """``sender`` or ``receiver`` (summary lines), ``omitted``, or "" (an interval)."""
        for role in ("sender", "receiver", "(omitted)"):
            if self.rest.endswith(role):
                return role.strip("()")
        return ""

    def first_int(self) -> float | None:
        token = self.rest.split(maxsplit=1)[0] if self.rest else ""
        return float(token) if token.isdigit() else None


class Lines(LineParser):
    """iperf3's rows for the streams that count: ``[SUM]`` with several streams, else the one."""

    def __init__(self, args: Iperf3Args) -> None:
        super().__init__()
        self.args = args
        self.summary: dict[str, Row] = {}

    def line(self, line: str) -> list[IntervalMeasurement]:
        match = _LINE.match(line)
        if match is None or (match["id"] == "SUM") != (self.args.streams > 1):
            return []
        row = Row(
            float(match["start"]), float(match["end"]), float(match["kbits"]) * 1e3, match["rest"]
        )
        if row.role in ("sender", "receiver"):
            self.summary[row.role] = row
            return []
        if row.role == "omitted":
            return []
        counters = {"bits_per_second": row.bits_per_second}
        extra = row.first_int()
        if extra is not None:
            counters["packets" if self.args.protocol == "udp" else "retransmits"] = extra
        return [IntervalMeasurement(row.start, row.end, counters)]

    def totals(self) -> dict[str, float]:
        """Of the intervals alone (no summary yet): time-weighted rate, bytes, retransmits."""
        seconds = sum(i.end - i.start for i in self.intervals)
        bits = sum(i.counters["bits_per_second"] * (i.end - i.start) for i in self.intervals)
        totals = {"bits_per_second": bits / seconds if seconds > 0 else 0.0, "bytes": bits / 8}
        for name in ("retransmits", "packets"):
            if any(name in i.counters for i in self.intervals):
                totals[name] = sum(i.counters.get(name, 0.0) for i in self.intervals)
        return totals


def parse(text: str, args: Iperf3Args | None = None) -> Measurement:
    args = args or Iperf3Args()
    error = _ERROR.search(text)
    if error:
        return Measurement(error=f"iperf3: {error.group(1).strip()}")
    lines = Lines(args)
    lines.feed({"output": text})
    lines.flush()
    received, sent = lines.summary.get("receiver"), lines.summary.get("sender")
    if received is None or sent is None:
        last = text.strip().splitlines()[-1:] or ["nothing"]
        raise ToolOutputError(f"iperf3 printed no sender/receiver summary: {last[0]}")
    udp = args.protocol == "udp"
    counters = _udp_counters(received) if udp else _tcp_counters(received, sent)
    return Measurement(counters=counters, intervals=lines.intervals)


def _tcp_counters(received: Row, sent: Row) -> dict[str, float]:
    return {
        "bits_per_second": received.bits_per_second,
        "bytes": received.bits_per_second * (received.end - received.start) / 8,
        "sent_bits_per_second": sent.bits_per_second,
        "retransmits": sent.first_int() or 0.0,
    }


def _udp_counters(received: Row) -> dict[str, float]:
    match = _UDP_END.search(received.rest)
    if match is None:
        raise ToolOutputError(f"iperf3 UDP receiver line has no jitter and loss: {received.rest}")
    lost, total = float(match["lost"]), float(match["total"])
    return {
        "bits_per_second": received.bits_per_second,
        "bytes": received.bits_per_second * (received.end - received.start) / 8,
        "jitter_ms": float(match["jitter"]),
        "lost_packets": lost,
        "packets": total,
        "lost_percent": 100.0 * lost / total if total else 0.0,
    }


class Iperf3(Tool):
    """TCP or UDP throughput between client and server with iperf3 (one server port per client)."""

    name: ClassVar[str] = "iperf3"
    Config = Iperf3Args
    averaged: ClassVar[frozenset[str]] = frozenset({"jitter_ms", "lost_percent"})
    headline: ClassVar[str] = "bits_per_second"

    def server_service(self, args: Any, port: int) -> dict[str, Any] | None:
        return {"service": "iperf3", "port": port, "name": f"iperf3-{port}"}

    def client_command(self, args: Any, target: Target, timing: Timing) -> ClientCommand:
        return ClientCommand(
            protocol.OP_RUN,
            argv=build_command(args, target, timing),
            timeout=timing.duration + timing.warmup + 30,
            report_interval=timing.report_interval,
        )

    def parse(self, args: Any, report: dict[str, Any], timing: Timing) -> Measurement:
        return parse(str(report.get("stdout", "")), args)

    def interim(self, args: Any, timing: Timing) -> IntervalParser:
        return Lines(args)

    def describe(self, counters: dict[str, float], seconds: float) -> str:
        text = f"{counters.get('bits_per_second', 0.0) / 1e9:.2f} Gbit/s"
        if "lost_percent" in counters:
            jitter = counters.get("jitter_ms", 0.0)
            return text + f", loss {counters['lost_percent']:.2f} %, jitter {jitter:.3f} ms"
        if "retransmits" in counters:
            return text + f", {counters['retransmits']:.0f} retransmits"
        return text
