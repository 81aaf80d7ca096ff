"""iperf3 TCP and UDP: goodput from ``sum_received``, retransmits, jitter and loss.

Throughput is reported in bits per second (SI); ``-M/--set-mss`` is used for the MSS
(Shaker's ``--mss`` bug); each client gets its own server port because an iperf3
server runs one test at a time.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

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


class Iperf3Args(ToolArgs):
    protocol: Literal["tcp", "udp"] = "tcp"
    streams: int = Field(1, ge=1, le=128)
    bandwidth: str | None = Field(None, description="target bitrate, e.g. 1G; UDP default 1M")
    length: int | None = Field(None, ge=1, description="buffer / datagram size in bytes")
    mss: int | None = Field(None, ge=88)
    reverse: bool = False


def build_command(args: Iperf3Args, target: Target, timing: Timing) -> list[str]:
    argv = ["iperf3", "-c", target.host, "-p", str(target.port), "-J"]
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


def parse(text: str) -> Measurement:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ToolOutputError(f"iperf3 did not print JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ToolOutputError("iperf3 JSON is not an object")
    if data.get("error"):
        return Measurement(error=f"iperf3: {data['error']}")
    end = data.get("end") or {}
    udp = (data.get("start", {}).get("test_start", {}) or {}).get("protocol") == "UDP"
    counters = _udp_counters(end) if udp else _tcp_counters(end)
    return Measurement(counters=counters, intervals=_intervals(data.get("intervals", [])))


def _tcp_counters(end: dict[str, Any]) -> dict[str, float]:
    received = end.get("sum_received") or {}
    sent = end.get("sum_sent") or {}
    if not received:
        raise ToolOutputError("iperf3 JSON has no end.sum_received")
    return {
        "bits_per_second": float(received.get("bits_per_second", 0.0)),
        "bytes": float(received.get("bytes", 0)),
        "sent_bits_per_second": float(sent.get("bits_per_second", 0.0)),
        "retransmits": float(sent.get("retransmits", 0)),
    }


def _udp_counters(end: dict[str, Any]) -> dict[str, float]:
    total = end.get("sum") or {}
    received = end.get("sum_received") or total
    if not total:
        raise ToolOutputError("iperf3 UDP JSON has no end.sum")
    return {
        "bits_per_second": float(received.get("bits_per_second", 0.0)),
        "bytes": float(received.get("bytes", 0)),
        "jitter_ms": float(total.get("jitter_ms", 0.0)),
        "lost_packets": float(total.get("lost_packets", 0)),
        "packets": float(total.get("packets", 0)),
        "lost_percent": float(total.get("lost_percent", 0.0)),
    }


def _intervals(items: list[dict[str, Any]]) -> list[IntervalMeasurement]:
    result = []
    for item in items:
        total = item.get("sum") or {}
        if total.get("omitted"):
            continue
        counters = {"bits_per_second": float(total.get("bits_per_second", 0.0))}
        if "retransmits" in total:
            counters["retransmits"] = float(total["retransmits"])
        result.append(
            IntervalMeasurement(float(total.get("start", 0)), float(total.get("end", 0)), counters)
        )
    return result


class Iperf3(Tool):
    """TCP or UDP throughput between client and server with iperf3 (one server port per client)."""

    name: ClassVar[str] = "iperf3"
    Config = Iperf3Args
    averaged: ClassVar[frozenset[str]] = frozenset({"jitter_ms", "lost_percent"})
    headline: ClassVar[str] = "bits_per_second"

    def server_service(self, args: Any, port: int) -> dict[str, Any] | None:
        return {"service": "iperf3", "port": port, "name": f"iperf3-{port}"}

    def client_command(self, args: Any, target: Target, timing: Timing) -> ClientCommand:
        argv = build_command(args, target, timing)
        return ClientCommand(
            protocol.OP_RUN, argv=argv, timeout=timing.duration + timing.warmup + 30
        )

    def parse(self, args: Any, report: dict[str, Any], timing: Timing) -> Measurement:
        return parse(str(report.get("stdout", "")))
